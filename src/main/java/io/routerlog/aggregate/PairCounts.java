package io.routerlog.aggregate;

import io.routerlog.bytes.BytesTable;
import io.routerlog.event.DnsQuery;
import io.routerlog.store.PairBytes;
import java.util.Arrays;

/**
 * Query counts of one receive thread between two flushes, keyed by the pair's stored key ({@link PairBytes}: router,
 * client, domain, qtype), built straight from the parsed bytes. Counting a pair that is already here allocates
 * nothing, and no object is made per pair: the keys' bytes follow one another in one array. Keys are kept across
 * flushes while the table is at most half full (for at most a minute), so a steady working set is not built again at
 * every flush.
 *
 * <p>Not thread-safe; {@link LocalAggregator} guards it.
 */
final class PairCounts {
    /** Takes the counts as a batch is drained. */
    interface Sink {
        /** A pair's key (a range of {@code b}, valid during the call), its {@link PairBytes#hash} and its count. */
        void pair(byte[] b, int off, int len, int hash, long count);
    }

    private final int capacity;
    private final BytesTable keys;
    private long[] counts;
    private final PairBytes.Builder builder = new PairBytes.Builder();

    PairCounts(int capacity) {
        this.capacity = capacity;
        int initial = Math.min(capacity, 1024);
        this.keys = new BytesTable(initial);
        this.counts = new long[initial];
    }

    /** Counts one query; false (and nothing counted) when the pair is new and the table is full. */
    boolean add(DnsQuery q) {
        byte[] b = q.buf();
        int n = builder.build(
                q.routerBuf(),
                q.routerOffset(),
                q.routerLength(),
                b,
                q.clientOffset(),
                q.clientLength(),
                b,
                q.domainOffset(),
                q.domainLength(),
                b,
                q.qtypeOffset(),
                q.qtypeLength());
        byte[] s = builder.bytes();
        int h = PairBytes.hash(s, 0, n);
        int e = keys.find(s, 0, n, h);
        if (e < 0) {
            if (keys.size() >= capacity) {
                return false;
            }
            e = keys.findOrAdd(s, 0, n, h);
            if (e >= counts.length) {
                int len = Math.min(Math.max(counts.length * 2, e + 1), Math.max(capacity, e + 1));
                counts = Arrays.copyOf(counts, len);
            }
        }
        counts[e]++;
        return true;
    }

    /** Hands every non-zero count to {@code sink} and zeroes it. */
    void drainTo(Sink sink) {
        byte[] b = keys.keyBytes();
        for (int e = 0, n = keys.size(); e < n; e++) {
            long c = counts[e];
            if (c == 0) {
                continue;
            }
            sink.pair(b, keys.keyOffset(e), keys.keyLength(e), keys.hash(e), c);
            counts[e] = 0;
        }
    }

    /**
     * Forgets the kept keys when they take more than half the table, so that new pairs keep fitting, and at least
     * every {@value #KEEP_MILLIS} ms, so that no pair is remembered here for long after its last query.
     */
    void recycle(long nowMillis) {
        if (keys.size() > capacity / 2 || nowMillis - clearedMillis >= KEEP_MILLIS || nowMillis < clearedMillis) {
            Arrays.fill(counts, 0, keys.size(), 0);
            keys.clear();
            clearedMillis = nowMillis;
        }
    }

    /** How long keys are kept at most. */
    static final long KEEP_MILLIS = 60_000;

    private long clearedMillis = Long.MIN_VALUE / 2;

    int size() {
        return keys.size();
    }
}
