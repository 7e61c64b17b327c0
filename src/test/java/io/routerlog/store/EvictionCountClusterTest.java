package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.StoreCluster;
import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Evictions counted on real Hazelcast members while partitions migrate: each member's count only grows, and the
 * counts of all members add up to what was evicted, before and after a third member took over partitions.
 */
class EvictionCountClusterTest {
    private static final long TIMEOUT = 30_000;
    private static final int MAX_PAIRS = 2710;
    private final List<Store> members = new ArrayList<>();

    @AfterEach
    void stop() {
        members.forEach(Store::close);
    }

    private static PairKey pair(int i) {
        return new PairKey("r", "10.2." + (i / 250 % 250) + "." + (i % 250), "e" + i + ".evict.test", "A");
    }

    /** Offers pairs {@code from} (inclusive) to {@code to} (exclusive) through {@code m}, in batches. */
    private static void offer(Store m, int from, int to) {
        for (int start = from; start < to; start += 1000) {
            Map<PairKey, Long> batch = new HashMap<>();
            for (int i = start; i < Math.min(to, start + 1000); i++) {
                batch.put(pair(i), 1L);
            }
            m.pairs().add(batch, TIMEOUT);
            assertThat(batch).isEmpty();
        }
    }

    private long[] evicted() {
        return members.stream().mapToLong(m -> m.pairs().evicted()).toArray();
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    @Test
    void countsOfAllMembersAddUpAndNeverShrinkWhenPartitionsMigrate() throws Exception {
        List<StoreSettings> settings = StoreCluster.settings(
                3,
                "evictions",
                cluster -> new StoreSettings(MAX_PAIRS, 1000, 1000, Duration.ofHours(1), 1, cluster, 10_000, 0));
        members.addAll(StoreCluster.start(settings.subList(0, 2)));

        offer(members.get(0), 0, 10 * MAX_PAIRS);
        int size = members.get(0).pairs().size();
        assertThat(size).isLessThanOrEqualTo(MAX_PAIRS);
        long[] before = evicted();
        assertThat(sum(before)).isEqualTo(10L * MAX_PAIRS - size);
        assertThat(before[0]).as("both own partitions that evicted").isPositive();
        assertThat(before[1]).isPositive();

        members.add(Store.start(settings.get(2)));
        Waiting.upTo(
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> members.stream().allMatch(m -> m.clusterSize() == 3)
                        && members.stream()
                                .allMatch(
                                        m -> m.hazelcast().getPartitionService().isClusterSafe()));
        assertThat(members.get(2).pairs().ownedSize())
                .as("the new member took partitions")
                .isPositive();
        long[] migrated = evicted();
        assertThat(migrated[0]).isEqualTo(before[0]);
        assertThat(migrated[1]).isEqualTo(before[1]);
        assertThat(migrated[2]).as("what others evicted stays theirs").isZero();

        offer(members.get(2), 10 * MAX_PAIRS, 20 * MAX_PAIRS);
        long[] after = evicted();
        int sizeAfter = members.get(2).pairs().size();
        assertThat(sum(after)).isEqualTo(20L * MAX_PAIRS - sizeAfter);
        for (int i = 0; i < 3; i++) {
            assertThat(after[i]).isGreaterThanOrEqualTo(migrated[i]);
        }
        assertThat(after[2]).isPositive();
    }
}
