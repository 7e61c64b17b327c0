package io.routerlog.aggregate;

import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.StoreSettings;

/** What the benchmarks of other packages need of the flusher's side of a {@link LocalAggregator}. */
public final class Batches {
    private Batches() {}

    /** An aggregator as a node's receive thread has one, with the query log at its default size. */
    public static LocalAggregator aggregator(PipelineCounters counters) {
        return new LocalAggregator(100_000, StoreSettings.DEFAULT_QUERY_LOG_SIZE, counters, () -> {});
    }

    /** Takes the aggregator's batch and gives it back drained, as a flush does, keeping the known pairs. */
    public static void flush(LocalAggregator aggregator) {
        Batch b = aggregator.take();
        b.pairs.drainTo((key, off, len, hash, count) -> {});
        b.pairs.recycle();
        b.replies.drainTo((key, off, len, hash, count) -> {});
        b.replies.recycle();
        aggregator.giveBack(b);
    }
}
