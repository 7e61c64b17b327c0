package io.routerlog.aggregate;

import io.routerlog.bytes.BytesTable;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the flush thread worked out for each pair it drained lately, so that the next flush of the same pair finds it
 * instead of making it again: the pair's client in the sightings and in the activity, its registrable domain, the
 * shape of its name and its tunnel-detection stats. Found by the pair's key ({@link io.routerlog.store.PairBytes}),
 * so in a steady working set a look-up here is all a pair costs, and no key object is made for it.
 *
 * <p>Bounded: entries not drained since the sweep before the last one go every {@value WriteEvery#MILLIS} ms; once
 * more than half of {@code limit} are taken, every flush keeps only the pairs it or the flush before drained, and
 * once all are, only its own. A pair new while all are taken gets an entry that is not kept. Used only on the flush
 * thread.
 */
final class PairMemo {
    /** What is known of one pair; each part fills in its own fields the first time it needs them. */
    static final class Entry {
        long flush;

        ClientSeenPart.@Nullable Client seen;
        ActivityPart.@Nullable Counter activity;
        /** Whether the name was described for detection: the fields below up to the shape are set. */
        boolean described;
        /** Whether {@link #start} and {@link #registrable} are set. */
        boolean located;
        /** The name is what dnsmasq logs for a name it cannot print. */
        boolean unprintable;
        /** The type is one that ordinary lookups do not use. */
        boolean unusual;

        int nameLength;
        /** Where the registrable domain starts in the pair's name. */
        int start;
        /** The registrable domain, interned; null when the name is not measured. */
        @Nullable
        String registrable;
        /** Whether the part of the name below the registrable domain has a shape ({@link #shapeHash}, ...). */
        boolean shaped;

        long shapeHash;
        int shapePack;

        SuspectPart.@Nullable Slot suspect;
        /** The pair's client and (unusual) type, for the unprintable names of that client. */
        SuspectPart.@Nullable ClientType clientType;

        /** Forgets everything, for another pair. */
        void reset() {
            flush = 0;
            seen = null;
            activity = null;
            described = false;
            located = false;
            unprintable = false;
            unusual = false;
            nameLength = 0;
            start = 0;
            registrable = null;
            shaped = false;
            shapeHash = 0;
            shapePack = 0;
            suspect = null;
            clientType = null;
        }
    }

    private final BytesTable keys = new BytesTable(1024);
    private @Nullable Entry[] entries = new Entry[1024];
    /**
     * Entries of pairs forgotten, for pairs to come: a working set larger than half the limit is swept at every
     * flush, and new entries for the pairs that come back lived just long enough to be promoted before they died.
     */
    private final ArrayDeque<Entry> free = new ArrayDeque<>();

    private final int limit;
    private long flush;
    private long lastSweepMillis = Long.MIN_VALUE;
    private long lastSweepFlush;

    /** @param limit the most entries kept: a pair met while there are as many is worked out again each time */
    PairMemo(int limit) {
        this.limit = limit;
    }

    /** The entry of the pair with key {@code b[off, off + len)} and {@code hash}, made on first sight. */
    Entry of(byte[] b, int off, int len, int hash) {
        int i = keys.find(b, off, len, hash);
        if (i < 0) {
            if (keys.size() >= limit) {
                return new Entry(); // a flood of new pairs: nothing to remember them by
            }
            i = keys.findOrAdd(b, off, len, hash);
            if (i >= entries.length) {
                entries = Arrays.copyOf(entries, Math.max(entries.length * 2, i + 1));
            }
            Entry reused = free.pollLast();
            entries[i] = reused != null ? reused : new Entry();
        }
        Entry e = Objects.requireNonNull(entries[i]);
        e.flush = flush;
        return e;
    }

    /** A flush drained everything it will drain: forgets what is too old or too much, and starts the next flush. */
    void flushed(long nowMillis) {
        if (keys.size() >= limit) {
            keepSince(flush);
        } else if (keys.size() > limit / 2) {
            keepSince(flush - 1);
        } else if (lastSweepMillis == Long.MIN_VALUE) {
            lastSweepMillis = nowMillis;
            lastSweepFlush = flush;
        } else if (nowMillis - lastSweepMillis >= WriteEvery.MILLIS) {
            keepSince(lastSweepFlush);
            lastSweepMillis = nowMillis;
            lastSweepFlush = flush;
        }
        flush++;
    }

    /** Keeps the entries drained at flush {@code since} or later. */
    private void keepSince(long since) {
        int n = keys.size();
        keys.retain((from, to) -> {
            Entry e = Objects.requireNonNull(entries[from]);
            entries[to] = e;
            boolean keep = e.flush >= since;
            if (!keep && free.size() + to < limit) {
                // kept and spare entries together no more than the limit
                e.reset();
                free.addLast(e);
            }
            return keep;
        });
        Arrays.fill(entries, keys.size(), n, null);
    }

    int size() {
        return keys.size();
    }
}
