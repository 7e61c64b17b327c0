package io.routerlog.aggregate;

import java.util.concurrent.atomic.LongAdder;

/** How flushing to the store goes, for the exporter. */
public final class FlushStats {
    final LongAdder flushes = new LongAdder();
    final LongAdder failures = new LongAdder();
    volatile long lastDurationNanos;
    volatile long lastSuccessEpochMillis;
    volatile int pendingPairs;

    public long flushes() {
        return flushes.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public double lastDurationSeconds() {
        return lastDurationNanos / 1e9;
    }

    /** Wall-clock time of the last flush that reached the store, 0 before the first. */
    public long lastSuccessEpochMillis() {
        return lastSuccessEpochMillis;
    }

    /** Pairs whose counts wait for the store after a failed flush. */
    public int pendingPairs() {
        return pendingPairs;
    }
}
