package io.routerlog.aggregate;

import io.routerlog.store.PairKey;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the flush thread worked out for each pair it drained lately, so that the next flush of the same pair finds it
 * instead of making it again: the pair's client in the sightings and in the activity, its registrable domain and its
 * tunnel-detection stats. The receive threads hand over the same {@link PairKey} object flush after flush while their
 * tables have room, so in a steady working set a look-up here is all a pair costs.
 *
 * <p>Bounded: entries not drained since the sweep before the last one go every {@value WriteEvery#MILLIS} ms, and
 * once there are more than {@code limit} entries, every flush keeps only the pairs it or the flush before drained
 * (so at most two flushes' worth). Used only on the flush thread.
 */
final class PairMemo {
    /** What is known of one pair; each part fills in its own fields the first time it needs them. */
    static final class Entry {
        long flush;

        ClientSeenPart.@Nullable Client seen;
        ActivityPart.@Nullable Counter activity;
        /** Whether {@link #registrable} was worked out (it stays null for a name that is not measured). */
        boolean located;
        /** Where the registrable domain starts in the pair's name. */
        int start;
        /** The registrable domain, interned; null when the name is not measured. */
        @Nullable
        String registrable;

        SuspectPart.@Nullable Slot suspect;
        /** The pair's client and (unusual) type, for the unprintable names of that client. */
        SuspectPart.@Nullable ClientType clientType;
    }

    private final Map<PairKey, Entry> entries = new HashMap<>();
    private final int limit;
    private long flush;
    private long lastSweepMillis = Long.MIN_VALUE;
    private long lastSweepFlush;

    /** @param limit entries beyond which only the pairs of the last two flushes are kept */
    PairMemo(int limit) {
        this.limit = limit;
    }

    /** The entry of {@code pair}, made on first sight. */
    Entry of(PairKey pair) {
        Entry e = entries.get(pair);
        if (e == null) {
            e = new Entry();
            entries.put(pair, e);
        }
        e.flush = flush;
        return e;
    }

    /** A flush drained everything it will drain: forgets what is too old or too much, and starts the next flush. */
    void flushed(long nowMillis) {
        if (entries.size() > limit) {
            long previous = flush - 1;
            entries.values().removeIf(e -> e.flush < previous);
        } else if (lastSweepMillis == Long.MIN_VALUE) {
            lastSweepMillis = nowMillis;
            lastSweepFlush = flush;
        } else if (nowMillis - lastSweepMillis >= WriteEvery.MILLIS) {
            long since = lastSweepFlush;
            entries.values().removeIf(e -> e.flush < since);
            lastSweepMillis = nowMillis;
            lastSweepFlush = flush;
        }
        flush++;
    }

    int size() {
        return entries.size();
    }
}
