package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import io.routerlog.event.DnsQuery;
import io.routerlog.store.PairBytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Query counts of one receive thread between two flushes, keyed by the pair's stored key ({@link PairBytes}: router,
 * client, domain, qtype), built straight from the parsed bytes. Counting a pair that is already here allocates
 * nothing, and no object is made per pair. Keys are kept across flushes while the table is at most half full (for at
 * most a minute), so a steady working set is not built again at every flush.
 *
 * <p>Laid out for the fewest cache misses per count, since a network's tens of thousands of pairs do not fit in a
 * core's cache and every query and reply line counts one: a bucket is one long holding the key's hash and where its
 * entry starts, and an entry holds its count, hash and length next to its key's bytes, so counting a known pair reads
 * one bucket and one entry (a table with separate arrays for entry starts and counts read four places).
 *
 * <p>Not thread-safe; {@link LocalAggregator} guards it.
 */
final class PairCounts {
    /** Takes the counts as a batch is drained. */
    interface Sink {
        /** A pair's key (a range of {@code b}, valid during the call), its {@link PairBytes#hash} and its count. */
        void pair(byte[] b, int off, int len, int hash, long count);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** An entry: its count (8 bytes), its key's hash (4), its key's length (4), then the key. */
    private static final int HASH = 8;

    private static final int LENGTH = 12;
    private static final int KEY = 16;

    private final int capacity;
    /** hash << 32 | (entry's offset + 1), 0 = empty; at most half full. */
    private long[] buckets;

    private byte[] entries;
    /** Bytes of {@link #entries} in use. */
    private int used;

    private int size;
    private final PairBytes.Builder builder = new PairBytes.Builder();

    PairCounts(int capacity) {
        this.capacity = capacity;
        int initial = Math.min(capacity, 1024);
        this.buckets = new long[Integer.highestOneBit(Math.max(8, initial) * 2 - 1) << 1];
        this.entries = new byte[initial * 64];
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
        long[] t = buckets;
        int mask = t.length - 1;
        int i = Bytes.mix(h) & mask;
        for (; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == 0) {
                break;
            }
            if ((int) (slot >>> 32) == h) {
                int at = (int) slot - 1;
                byte[] e = entries;
                if ((int) INTS.get(e, at + LENGTH) == n && Arrays.equals(e, at + KEY, at + KEY + n, s, 0, n)) {
                    LONGS.set(e, at, (long) LONGS.get(e, at) + 1);
                    return true;
                }
            }
        }
        if (size >= capacity) {
            return false;
        }
        int at = used;
        if (at + KEY + n > entries.length) {
            // by half again: a table that grows to a receive thread's hundred thousand pairs overshoots less
            entries = Arrays.copyOf(entries, Math.max(entries.length + (entries.length >> 1), at + KEY + n));
        }
        byte[] e = entries;
        LONGS.set(e, at, 1L);
        INTS.set(e, at + HASH, h);
        INTS.set(e, at + LENGTH, n);
        System.arraycopy(s, 0, e, at + KEY, n);
        used = at + KEY + n;
        size++;
        t[i] = ((long) h << 32) | (at + 1L);
        if (size * 2 > t.length) {
            buckets = BytesTable.rehash(t, t.length * 2);
        }
        return true;
    }

    /** Hands every non-zero count to {@code sink} and zeroes it. */
    void drainTo(Sink sink) {
        byte[] e = entries;
        for (int at = 0, end = used; at < end; ) {
            int n = (int) INTS.get(e, at + LENGTH);
            long c = (long) LONGS.get(e, at);
            if (c != 0) {
                sink.pair(e, at + KEY, n, (int) INTS.get(e, at + HASH), c);
                LONGS.set(e, at, 0L);
            }
            at += KEY + n;
        }
    }

    /**
     * Forgets the kept keys when they take more than half the table, so that new pairs keep fitting, and at least
     * every {@value #KEEP_MILLIS} ms, so that no pair is remembered here for long after its last query.
     */
    void recycle(long nowMillis) {
        if (size > capacity / 2 || nowMillis - clearedMillis >= KEEP_MILLIS || nowMillis < clearedMillis) {
            Arrays.fill(buckets, 0);
            used = 0;
            size = 0;
            clearedMillis = nowMillis;
        }
    }

    /** How long keys are kept at most. */
    static final long KEEP_MILLIS = 60_000;

    private long clearedMillis = Long.MIN_VALUE / 2;

    int size() {
        return size;
    }
}
