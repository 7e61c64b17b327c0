package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import io.routerlog.event.DnsQuery;
import io.routerlog.store.PairKey;
import java.util.Arrays;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Query counts of one receive thread between two flushes, keyed by the bytes of (router, client, domain, qtype).
 * Counting a pair that is already here allocates nothing. Keys are kept across flushes (with their
 * {@link PairKey}) while the table is at most half full, so a steady working set costs nothing either.
 *
 * <p>Not thread-safe; {@link LocalAggregator} guards it.
 */
final class PairCounts {
    private final int capacity;
    private final BytesTable keys;
    private long[] counts;
    private PairKey[] pairKeys;
    private byte[] scratch = new byte[512];

    PairCounts(int capacity) {
        this.capacity = capacity;
        int initial = Math.min(capacity, 1024);
        this.keys = new BytesTable(initial);
        this.counts = new long[initial];
        this.pairKeys = new PairKey[initial];
    }

    /** Counts one query; false (and nothing counted) when the pair is new and the table is full. */
    boolean add(DnsQuery q) {
        byte[] b = q.buf();
        int cl = q.clientLength();
        int dl = q.domainLength();
        int tl = q.qtypeLength();
        int rl = q.routerLength();
        int r = 3 + cl + dl;
        int n = r + rl + tl;
        if (n > scratch.length) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        byte[] s = scratch;
        s[0] = (byte) cl;
        System.arraycopy(b, q.clientOffset(), s, 1, cl);
        s[1 + cl] = (byte) dl;
        System.arraycopy(b, q.domainOffset(), s, 2 + cl, dl);
        s[2 + cl + dl] = (byte) rl;
        System.arraycopy(q.routerBuf(), q.routerOffset(), s, r, rl);
        System.arraycopy(b, q.qtypeOffset(), s, r + rl, tl);
        int h = Bytes.hash(Bytes.HASH_SEED, s, 0, n);
        int e = keys.find(s, 0, n, h);
        if (e < 0) {
            if (keys.size() >= capacity) {
                return false;
            }
            e = keys.findOrAdd(s, 0, n, h);
            if (e >= counts.length) {
                int len = Math.min(Math.max(counts.length * 2, e + 1), Math.max(capacity, e + 1));
                counts = Arrays.copyOf(counts, len);
                pairKeys = Arrays.copyOf(pairKeys, len);
            }
        }
        counts[e]++;
        return true;
    }

    /** Adds every non-zero count to {@code out} and zeroes it. */
    void drainTo(Map<PairKey, Long> out) {
        drainTo(out, (k, c) -> {});
    }

    /**
     * Adds every non-zero count to {@code out}, zeroes it, and tells {@code seen} each pair that had one, with its
     * count.
     */
    void drainTo(Map<PairKey, Long> out, ObjLongConsumer<PairKey> seen) {
        for (int e = 0, n = keys.size(); e < n; e++) {
            long c = counts[e];
            if (c == 0) {
                continue;
            }
            PairKey k = pairKeys[e];
            if (k == null) {
                k = toPairKey(keys.keyBytes(), keys.keyOffset(e), keys.keyLength(e));
                pairKeys[e] = k;
            }
            out.merge(k, c, Long::sum);
            seen.accept(k, c);
            counts[e] = 0;
        }
    }

    /** Forgets the kept keys when they take more than half the table, so that new pairs keep fitting. */
    void recycle() {
        if (keys.size() > capacity / 2) {
            Arrays.fill(counts, 0, keys.size(), 0);
            Arrays.fill(pairKeys, 0, keys.size(), null);
            keys.clear();
        }
    }

    int size() {
        return keys.size();
    }

    private static PairKey toPairKey(byte[] k, int off, int len) {
        int cl = k[off] & 0xff;
        int dl = k[off + 1 + cl] & 0xff;
        int rl = k[off + 2 + cl + dl] & 0xff;
        int rOff = off + 3 + cl + dl;
        int tOff = rOff + rl;
        // interned: the same router, client, type and name recur in every key a receive thread keeps (its two
        // batches, of queries and of reply outcomes), and each would otherwise hold its own copies
        return new PairKey(
                Bytes.decode(k, rOff, rl).intern(),
                Bytes.decode(k, off + 1, cl).intern(),
                Bytes.decode(k, off + 2 + cl, dl).intern(),
                Bytes.decode(k, tOff, off + len - tOff).intern());
    }
}
