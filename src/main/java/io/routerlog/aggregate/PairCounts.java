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
 * nothing, and no object is made per pair.
 *
 * <p>A drain keeps the keys it counted more than once since the drain before and forgets the others, so that a
 * steady working set is not built again at every flush, while a flood's names, each seen once, leave at the next
 * drain. The table asks for an early drain ({@link #wantsDrain}) when it is nearly full or when {@code newPairs} keys
 * were added since the last drain: a working set that recurs, as large as half the table, is drained once per
 * interval however busy it is, while a flood of new pairs is drained, and held, as a table of {@code newPairs} would
 * be.
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
    /** Keys from which an early drain is wanted: a tenth, or a thousand, before the table is full. */
    private final int nearlyFull;
    /** New keys since the last drain from which an early drain is wanted. */
    private final int newPairs;
    /** hash << 32 | (entry's offset + 1), 0 = empty; at most half full. */
    private long[] buckets;

    private byte[] entries;
    /** Bytes of {@link #entries} in use. */
    private int used;

    private int size;
    /** Keys added since the last drain. */
    private int added;

    private final PairBytes.Builder builder = new PairBytes.Builder();

    /**
     * @param capacity the most keys held
     * @param newPairs new keys since the last drain from which an early drain is wanted (at most the capacity)
     */
    PairCounts(int capacity, int newPairs) {
        this.capacity = capacity;
        this.nearlyFull = capacity - Math.min(1000, capacity / 10);
        this.newPairs = Math.min(nearlyFull, newPairs);
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
        added++;
        t[i] = ((long) h << 32) | (at + 1L);
        if (size * 2 > t.length) {
            buckets = BytesTable.rehash(t, t.length * 2);
        }
        return true;
    }

    /**
     * Hands every non-zero count to {@code sink} and zeroes it, and forgets the keys counted at most once since the
     * drain before.
     */
    void drainTo(Sink sink) {
        byte[] e = entries;
        int to = 0;
        int kept = 0;
        for (int at = 0, end = used; at < end; ) {
            int n = (int) INTS.get(e, at + LENGTH);
            long c = (long) LONGS.get(e, at);
            int length = KEY + n;
            if (c != 0) {
                sink.pair(e, at + KEY, n, (int) INTS.get(e, at + HASH), c);
                LONGS.set(e, at, 0L);
                if (c > 1) {
                    if (to != at) {
                        System.arraycopy(e, at, e, to, length);
                    }
                    to += length;
                    kept++;
                }
            }
            at += length;
        }
        added = 0;
        if (kept != size) {
            used = to;
            size = kept;
            reindex();
        }
    }

    /** Builds the buckets again for the entries as they now lie. */
    private void reindex() {
        Arrays.fill(buckets, 0);
        byte[] e = entries;
        for (int at = 0; at < used; at += KEY + (int) INTS.get(e, at + LENGTH)) {
            BytesTable.place(buckets, ((long) (int) INTS.get(e, at + HASH) << 32) | (at + 1L));
        }
    }

    /** Forgets every key when the kept ones take more than half the table, so that new pairs keep fitting. */
    void recycle() {
        if (size > capacity / 2) {
            Arrays.fill(buckets, 0);
            used = 0;
            size = 0;
        }
    }

    int size() {
        return size;
    }

    /** Keys added since the last drain. */
    int added() {
        return added;
    }

    /** Whether the table is nearly full, or took {@code newPairs} new keys since the last drain. */
    boolean wantsDrain() {
        return size >= nearlyFull || added >= newPairs;
    }
}
