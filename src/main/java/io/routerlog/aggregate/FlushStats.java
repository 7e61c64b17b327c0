package io.routerlog.aggregate;

import io.routerlog.export.FlushHealth;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How flushing to the store goes, for the exporter. */
public final class FlushStats implements FlushHealth {
    final LongAdder flushes = new LongAdder();
    final LongAdder failures = new LongAdder();
    volatile long lastDurationNanos;
    final LongAdder totalDurationNanos = new LongAdder();
    final LongAdder totalCpuNanos = new LongAdder();
    volatile long lastSuccessEpochMillis;
    volatile int pendingPairs;
    /** Query log entries not written because newer ones filled the log's size first. */
    final LongAdder queryLogSkipped = new LongAdder();

    private final Map<String, LongAdder> givenUp = new ConcurrentHashMap<>();

    void gaveUp(String map, long entries) {
        givenUp.computeIfAbsent(map, m -> new LongAdder()).add(entries);
    }

    /** Pending updates given up per store map, after the store did not take them for too long. */
    @Override
    public Map<String, Long> givenUp() {
        Map<String, Long> m = new TreeMap<>();
        givenUp.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public long flushes() {
        return flushes.sum();
    }

    @Override
    public long failures() {
        return failures.sum();
    }

    @Override
    public double lastDurationSeconds() {
        return lastDurationNanos / 1e9;
    }

    @Override
    public double totalDurationSeconds() {
        return totalDurationNanos.sum() / 1e9;
    }

    @Override
    public double totalCpuSeconds() {
        return totalCpuNanos.sum() / 1e9;
    }

    /** Wall-clock time of the last flush that reached the store, 0 before the first. */
    @Override
    public long lastSuccessEpochMillis() {
        return lastSuccessEpochMillis;
    }

    /** Pairs whose counts wait for the store after a failed flush. */
    @Override
    public int pendingPairs() {
        return pendingPairs;
    }

    @Override
    public long queryLogSkipped() {
        return queryLogSkipped.sum();
    }
}
