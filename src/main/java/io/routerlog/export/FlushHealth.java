package io.routerlog.export;

import java.util.Map;

/**
 * How moving counts into the store goes, as {@link StoreCollector} exports it. Declared here, where it is read, so
 * that export does not reach back up the flow into the aggregator: the flusher's statistics implement it.
 */
public interface FlushHealth {
    /** Flushes the store took. */
    long flushes();

    /** Flushes the store did not take; their counts are retried. */
    long failures();

    /** How long the last flush took. */
    double lastDurationSeconds();

    /** Wall-clock time of all flushes together, so that a rate over an interval gives the mean flush time. */
    double totalDurationSeconds();

    /**
     * CPU time the flush thread spent in all flushes (collecting, grouping by partition, serializing, waiting
     * excluded); the partition threads' share of a flush is not in it.
     */
    double totalCpuSeconds();

    /** Wall-clock time of the last flush that reached the store, 0 before the first. */
    long lastSuccessEpochMillis();

    /** Pairs whose counts wait for the store after a failed flush. */
    int pendingPairs();

    /** Query log entries not written because newer ones filled {@code --query-log-size} within one flush. */
    long queryLogSkipped();

    /** Pending updates given up per store map, after the store did not take them for too long. */
    Map<String, Long> givenUp();
}
