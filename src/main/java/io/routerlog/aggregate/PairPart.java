package io.routerlog.aggregate;

import io.routerlog.store.PairDeltas;
import io.routerlog.store.PairMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The stream of one pair map (query counts, reply outcomes): the batches' counts go into one table of pending
 * deltas by key ({@link PairDeltas}), which the store writes partition by partition, setting what it confirmed to
 * 0; after a failure only the unconfirmed deltas are written again, and none twice. Each drained pair is also handed
 * to {@code drained} (the parts that follow clients and names).
 */
final class PairPart implements FlushPart {
    private final PairMap map;
    private final Function<Batch, PairCounts> counts;
    private final int bound;
    private final boolean countsMessages;
    private final PairDeltas pending = new PairDeltas();
    private final PairCounts.Sink collect;
    private final PairCounts.@Nullable Sink outcomes;

    /**
     * @param counts         the batch's counts of this map
     * @param drained        told every pair with a count, after it went into the pending deltas
     * @param outcomes       takes the outcomes counted with their queries in {@code counts} (the outcome part's
     *                       {@link #collector}), or null when it holds none
     * @param bound          the most pending keys kept while the store is away
     * @param countsMessages whether giving up counts the deltas as dropped messages (not when the same messages
     *                       are counted by another part)
     */
    PairPart(
            PairMap map,
            Function<Batch, PairCounts> counts,
            PairCounts.Sink drained,
            PairCounts.@Nullable Sink outcomes,
            int bound,
            boolean countsMessages) {
        this.map = map;
        this.outcomes = outcomes;
        this.counts = counts;
        this.bound = bound;
        this.countsMessages = countsMessages;
        this.collect = (b, off, len, hash, count) -> {
            pending.add(b, off, len, hash, count);
            drained.pair(b, off, len, hash, count);
        };
    }

    /** Takes counts into this part's pending deltas as a drain of its own batch table does. */
    PairCounts.Sink collector() {
        return collect;
    }

    /** Keys waiting for the store. */
    int pending() {
        return pending.pending();
    }

    @Override
    public void collect(Batch batch) {
        PairCounts table = counts.apply(batch);
        if (outcomes == null) {
            table.drainTo(collect);
        } else {
            table.drainTo(collect, outcomes);
        }
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        map.add(pending, timeoutMillis);
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() > bound) {
            pending.compact();
        }
        if (pending.size() > bound) {
            giveUp.gaveUp(map.name(), pending.pending(), countsMessages ? pending.total() : 0);
            pending.clear();
        }
    }
}
