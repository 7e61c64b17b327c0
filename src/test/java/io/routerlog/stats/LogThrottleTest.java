package io.routerlog.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    @Test
    void theFirstLinePassesAndTheNextWithinTheMinuteDoesNot() {
        LogThrottle throttle = LogThrottle.perMinute();
        assertThat(throttle.permits()).isTrue();
        assertThat(throttle.permits()).isFalse();
        assertThat(throttle.permits()).isFalse();
        assertThat(LogThrottle.perMinute().permits())
                .as("each throttle counts on its own")
                .isTrue();
    }

    @Test
    void threadsRacingForTheFirstLineLetExactlyOneThrough() throws Exception {
        LogThrottle throttle = LogThrottle.perMinute();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger permitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 1000; n++) {
                        if (throttle.permits()) {
                            permitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(permitted.get()).isEqualTo(1);
    }
}
