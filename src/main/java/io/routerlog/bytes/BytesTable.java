package io.routerlog.bytes;

import java.util.Arrays;

/**
 * An insertion-ordered hash set of byte strings that hands out dense entry numbers. Callers keep their values in
 * arrays indexed by entry number, so a lookup of a key that is already present allocates nothing.
 *
 * <p>Laid out for few cache misses per lookup, which is what a receive thread's table of tens of thousands of pairs
 * costs: each bucket is one long holding the key's hash and its entry number (a probe needs no second array to
 * reject a different key), and the keys' bytes follow one another in one array (no object per key).
 *
 * <p>Not thread-safe: each receive thread owns its own tables.
 */
public final class BytesTable {
    private long[] buckets; // hash << 32 | (entry + 1), 0 = empty
    private int[] starts; // entry -> offset of its key in bytes; starts[size] is where the next key goes
    private int[] hashes; // entry -> its key's hash
    private byte[] bytes;
    private int size;
    /** False after {@link #append}: some entries are not in {@link #buckets} until the next look-up indexes them. */
    private boolean indexed = true;

    public BytesTable(int expectedEntries) {
        int cap = Integer.highestOneBit(Math.max(16, expectedEntries * 2 - 1)) << 1;
        buckets = new long[cap];
        starts = new int[Math.max(8, expectedEntries) + 1];
        hashes = new int[starts.length];
        bytes = new byte[Math.max(8, expectedEntries) * 32];
    }

    public int size() {
        return size;
    }

    /** Bytes the stored keys take. */
    public int keyBytesUsed() {
        return starts[size];
    }

    /** Entry number of the key, or -1 when absent. {@code hash} must come from {@link Bytes#hash}. */
    public int find(byte[] b, int off, int len, int hash) {
        if (!indexed) {
            reindex();
        }
        long[] t = buckets;
        int mask = t.length - 1;
        for (int i = Bytes.mix(hash) & mask; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == 0) {
                return -1;
            }
            if ((int) (slot >>> 32) == hash) {
                int e = (int) slot - 1;
                if (sameKey(e, b, off, len)) {
                    return e;
                }
            }
        }
    }

    /** Entry number of the key, adding a copy of it when absent. */
    public int findOrAdd(byte[] b, int off, int len, int hash) {
        if (!indexed) {
            reindex();
        }
        long[] t = buckets;
        int mask = t.length - 1;
        int i = Bytes.mix(hash) & mask;
        for (; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == 0) {
                break;
            }
            if ((int) (slot >>> 32) == hash) {
                int e = (int) slot - 1;
                if (sameKey(e, b, off, len)) {
                    return e;
                }
            }
        }
        int e = store(b, off, len, hash);
        t[i] = (long) hash << 32 | (e + 1L);
        if (size * 2 > t.length) {
            rehash(t.length * 2);
        }
        return e;
    }

    /**
     * Adds a key without looking for it, as the next entry: for loading keys known to differ (another table's, read
     * in order), which cost no probe of the index until a look-up needs it ({@link #find} and {@link #findOrAdd}
     * index every key then). A key added twice this way is two entries.
     *
     * @return the key's entry number
     */
    public int append(byte[] b, int off, int len, int hash) {
        indexed = false;
        return store(b, off, len, hash);
    }

    /** Copies a key in as the next entry, not indexed. */
    private int store(byte[] b, int off, int len, int hash) {
        int e = size++;
        if (e + 1 == starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
            hashes = Arrays.copyOf(hashes, starts.length);
        }
        int start = starts[e];
        if (start + len > bytes.length) {
            // by half again: a table that grows to a receive thread's hundred thousand keys overshoots less
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length + (bytes.length >> 1), start + len));
        }
        hashes[e] = hash;
        System.arraycopy(b, off, bytes, start, len);
        starts[e + 1] = start + len;
        return e;
    }

    /** Puts every entry in a new index, large enough for twice as many. */
    private void reindex() {
        long[] nb = new long[Math.max(buckets.length, Integer.highestOneBit(Math.max(16, size * 2) * 2 - 1))];
        for (int e = 0; e < size; e++) {
            place(nb, (long) hashes[e] << 32 | (e + 1L));
        }
        buckets = nb;
        indexed = true;
    }

    /**
     * Makes room for {@code entries} keys in all, {@code keyBytes} bytes of them, so that adding that many grows
     * nothing: for a table about to take another's keys, which would otherwise rehash at every doubling.
     */
    public void ensureCapacity(int entries, int keyBytes) {
        entries = Math.min(entries, 1 << 29);
        if ((long) entries * 2 > buckets.length) {
            rehash(Integer.highestOneBit(entries * 2 - 1) << 1);
        }
        if (entries + 1 > starts.length) {
            starts = Arrays.copyOf(starts, entries + 1);
            hashes = Arrays.copyOf(hashes, starts.length);
        }
        if (keyBytes > bytes.length) {
            bytes = Arrays.copyOf(bytes, keyBytes);
        }
    }

    /** The array holding the stored keys (read only; replaced when it grows, so do not keep it across adds). */
    public byte[] keyBytes() {
        return bytes;
    }

    /** Where the entry's key starts in {@link #keyBytes()}. */
    public int keyOffset(int entry) {
        return starts[entry];
    }

    public int keyLength(int entry) {
        return starts[entry + 1] - starts[entry];
    }

    /** The hash the entry's key was added with. */
    public int hash(int entry) {
        return hashes[entry];
    }

    /** Decides, entry by entry, what {@link #retain} keeps. */
    @FunctionalInterface
    public interface Keep {
        /**
         * Whether to keep entry {@code from}; if so it becomes entry {@code to} (at most {@code from}), and the
         * caller moves whatever it keeps per entry from the one to the other.
         */
        boolean keep(int from, int to);
    }

    /**
     * Keeps the entries {@code keep} accepts, in their order, renumbered from 0, in place: no array is made, the
     * keys' bytes move down over those dropped.
     */
    public void retain(Keep keep) {
        int kept = 0;
        int at = 0;
        for (int e = 0, n = size; e < n; e++) {
            int s = starts[e];
            int len = starts[e + 1] - s;
            if (keep.keep(e, kept)) {
                if (kept != e) {
                    System.arraycopy(bytes, s, bytes, at, len);
                    hashes[kept] = hashes[e];
                }
                // kept <= e: starts[e + 1], read next, is not written yet
                starts[kept] = at;
                at += len;
                kept++;
            }
        }
        starts[kept] = at;
        size = kept;
        if (indexed) {
            Arrays.fill(buckets, 0);
            for (int e = 0; e < kept; e++) {
                place(buckets, (long) hashes[e] << 32 | (e + 1L));
            }
        }
    }

    /** Forgets every entry; the arrays are kept for reuse. */
    public void clear() {
        Arrays.fill(buckets, 0);
        size = 0;
        starts[0] = 0;
        indexed = true;
    }

    private boolean sameKey(int e, byte[] b, int off, int len) {
        int s = starts[e];
        return starts[e + 1] - s == len && Arrays.equals(bytes, s, s + len, b, off, off + len);
    }

    private void rehash(int capacity) {
        if (indexed) {
            buckets = rehash(buckets, capacity);
        } else if (capacity > buckets.length) {
            buckets = new long[capacity]; // filled when a look-up indexes the keys
        }
    }

    /**
     * The slots of an open-addressing table with linear probing whose non-empty slots hold their key's hash in the
     * high 32 bits (as this table's do), placed in a new table of {@code capacity} slots (a power of two).
     */
    public static long[] rehash(long[] buckets, int capacity) {
        long[] nb = new long[capacity];
        for (long slot : buckets) {
            if (slot != 0) {
                place(nb, slot);
            }
        }
        return nb;
    }

    /**
     * Puts {@code slot} (its key's hash in the high 32 bits, not 0) in the first free place of {@code buckets} from
     * its hash's place on, as a look-up probes: for a key that is not in the table yet.
     */
    public static void place(long[] buckets, long slot) {
        int mask = buckets.length - 1;
        int i = Bytes.mix((int) (slot >>> 32)) & mask;
        while (buckets[i] != 0) {
            i = (i + 1) & mask;
        }
        buckets[i] = slot;
    }
}
