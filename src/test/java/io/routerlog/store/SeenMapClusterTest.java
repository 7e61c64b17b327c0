package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.util.ConcurrencyUtil;
import io.routerlog.testing.StoreCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The clients' first and last sightings on three real Hazelcast members: spans written by different members for
 * clients in every partition widen to cover them all, each member reads the same, a repeat changes nothing, and a
 * write is one call per partition that needs no task of Hazelcast's asynchronous executor to complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeenMapClusterTest {
    private static final long TIMEOUT = 30_000;
    private static final int CLIENTS = 1000;
    private List<Store> members = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        members = StoreCluster.start(StoreCluster.settings(
                3,
                "seen",
                cluster -> new StoreSettings(27_100, 1000, 1000, Duration.ofHours(2), 1, cluster, 10_000, 0)));
    }

    @AfterAll
    void stop() {
        members.forEach(Store::close);
    }

    private static Map<ClientKey, ClientSeen> spans(String router, long first, long last) {
        Map<ClientKey, ClientSeen> m = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            m.put(new ClientKey(router, "10.1." + (i / 256) + "." + (i % 256)), new ClientSeen(first + i, last + i));
        }
        return m;
    }

    @Test
    void spansFromEveryMemberWidenTogetherWithoutCompletionTasks() {
        AtomicInteger tasks = new AtomicInteger();
        Executor before = ConcurrencyUtil.getDefaultAsyncExecutor();
        ConcurrencyUtil.setDefaultAsyncExecutor(task -> {
            tasks.incrementAndGet();
            before.execute(task);
        });
        Map<ClientKey, ClientSeen> first = spans("r1", 5_000, 6_000);
        Map<ClientKey, ClientSeen> second = spans("r1", 2_000, 9_000);
        try {
            members.get(0).seen().widen(first, TIMEOUT);
            members.get(1).seen().widen(second, TIMEOUT);
        } finally {
            ConcurrencyUtil.setDefaultAsyncExecutor(before);
        }
        // confirmed spans leave the batch
        assertThat(first).isEmpty();
        assertThat(second).isEmpty();
        // a call per client completed through that executor would have made 2,000 tasks; leave room for the
        // members' own background work
        assertThat(tasks.get()).isLessThan(20);

        // a repeat of an older, narrower span changes nothing
        members.get(2).seen().widen(spans("r1", 5_000, 6_000), TIMEOUT);
        for (Store member : members) {
            SeenMap seen = member.seen();
            assertThat(seen.size()).isEqualTo(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(seen.get("r1", "10.1." + (i / 256) + "." + (i % 256)))
                        .isEqualTo(new ClientSeen(2_000 + i, 9_000 + i));
            }
            assertThat(seen.get("r2", "10.1.0.0")).isNull();
        }
    }
}
