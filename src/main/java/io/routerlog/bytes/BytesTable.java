package io.routerlog.bytes;

import java.util.Arrays;

/**
 * An insertion-ordered hash set of byte strings that hands out dense entry numbers. Callers keep their values in
 * arrays indexed by entry number, so a lookup of a key that is already present allocates nothing.
 *
 * <p>Not thread-safe: each receive thread owns its own tables.
 */
public final class BytesTable {
    private int[] buckets; // entry number + 1, 0 = empty
    private byte[][] keys;
    private int[] hashes;
    private int size;

    public BytesTable(int expectedEntries) {
        int cap = Integer.highestOneBit(Math.max(16, expectedEntries * 2 - 1)) << 1;
        buckets = new int[cap];
        keys = new byte[Math.max(8, expectedEntries)][];
        hashes = new int[keys.length];
    }

    public int size() {
        return size;
    }

    /** Entry number of the key, or -1 when absent. {@code hash} must come from {@link Bytes#hash}. */
    public int find(byte[] b, int off, int len, int hash) {
        int mask = buckets.length - 1;
        for (int i = Bytes.mix(hash) & mask; ; i = (i + 1) & mask) {
            int e = buckets[i] - 1;
            if (e < 0) {
                return -1;
            }
            if (hashes[e] == hash && Bytes.equals(keys[e], 0, keys[e].length, b, off, len)) {
                return e;
            }
        }
    }

    /** Entry number of the key, adding a copy of it when absent. */
    public int findOrAdd(byte[] b, int off, int len, int hash) {
        int mask = buckets.length - 1;
        int i = Bytes.mix(hash) & mask;
        for (; ; i = (i + 1) & mask) {
            int e = buckets[i] - 1;
            if (e < 0) {
                break;
            }
            if (hashes[e] == hash && Bytes.equals(keys[e], 0, keys[e].length, b, off, len)) {
                return e;
            }
        }
        int e = size++;
        if (e == keys.length) {
            keys = Arrays.copyOf(keys, e * 2);
            hashes = Arrays.copyOf(hashes, e * 2);
        }
        keys[e] = Arrays.copyOfRange(b, off, off + len);
        hashes[e] = hash;
        buckets[i] = e + 1;
        if (size * 2 > buckets.length) {
            rehash(buckets.length * 2);
        }
        return e;
    }

    /** The stored key bytes of an entry (do not modify). */
    public byte[] key(int entry) {
        return keys[entry];
    }

    /** Forgets every entry; the arrays are kept for reuse. */
    public void clear() {
        Arrays.fill(buckets, 0);
        Arrays.fill(keys, 0, size, null);
        size = 0;
    }

    private void rehash(int capacity) {
        int[] nb = new int[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int i = Bytes.mix(hashes[e]) & mask;
            while (nb[i] != 0) {
                i = (i + 1) & mask;
            }
            nb[i] = e + 1;
        }
        buckets = nb;
    }
}
