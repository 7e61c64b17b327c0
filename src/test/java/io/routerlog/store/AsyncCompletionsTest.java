package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node's asynchronous map calls complete without starting a thread each, whatever the number of CPUs: on one or
 * two, Hazelcast's own default would start one per completion. The completions run at the lowest priority, as the
 * member's threads do ({@link StoreTest}).
 */
class AsyncCompletionsTest {
    private static final int APPENDS = 200;

    private static LoggedQuery query(long time, int i) {
        return new LoggedQuery(time, "r1", "192.168.1." + (i % 200), "host" + i + ".completions.test", "A");
    }

    @Test
    void appendsToTheQueryLogStartNoThreadPerCompletion() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StoreSettings settings = StoreSettings.singleNode(2710, 1000, Duration.ofHours(1));
        try (Store store = Store.start(settings.withQueryLogSize(APPENDS * QueryLog.CHUNK))) {
            QueryLog log = store.queryLog();
            long time = System.currentTimeMillis() - 60_000;
            // each append below is one submitToKey, whose future completes through the default executor
            log.append(List.of(query(time++, 0)), 30_000);
            long started = threads.getTotalStartedThreadCount();
            for (int i = 1; i <= APPENDS; i++) {
                log.append(List.of(query(time++, i)), 30_000);
            }
            long during = threads.getTotalStartedThreadCount() - started;
            assertThat(log.size()).isEqualTo(APPENDS + 1);
            assertThat(during).as("threads started during %d appends", APPENDS).isLessThan(APPENDS / 10);
        }
    }

    @Test
    void thePoolReusesItsThreadsAndNeverMakesATaskWait() throws InterruptedException {
        Executor pool = AsyncCompletions.pool();
        List<String> names = new ArrayList<>();
        List<Integer> priorities = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                synchronized (names) {
                    names.add(Thread.currentThread().getName());
                    priorities.add(Thread.currentThread().getPriority());
                }
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(20); // the worker is back waiting for the next task, as between a store's completions
        }
        assertThat(names).hasSize(20).allMatch(n -> n.startsWith("routerlog-store-completion-"));
        assertThat(priorities).containsOnly(Thread.MIN_PRIORITY);
        assertThat(names.stream().distinct().count()).as("one thread, reused").isEqualTo(1);
        // a task that waits for a later one: the later one gets a thread of its own
        CountDownLatch second = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        AtomicInteger waited = new AtomicInteger();
        pool.execute(() -> {
            try {
                if (second.await(10, TimeUnit.SECONDS)) {
                    waited.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.countDown();
        });
        pool.execute(second::countDown);
        assertThat(first.await(15, TimeUnit.SECONDS)).isTrue();
        assertThat(waited).hasValue(1);
    }
}
