package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;

/**
 * The hashes of the keys one receive thread's tables took lately, so that a key that comes back is not taken for a
 * new one: a drain forgets the keys counted only once since the drain before, and a busy working set with many pairs
 * has thousands of those each flush. Counted as new pairs, they made the batch ask for an early flush again and again
 * (twenty times as many flushes for a working set of tens of thousands of pairs over TCP), each interval shorter, so
 * that even more of its pairs were counted once. A flood's names are never seen again, so they still count.
 *
 * <p>A hash has a group of {@value #WAYS} slots; when the group is full, a new key takes one of them: a key whose slot
 * another took since counts as new again, so a working set far larger than the slots is treated as before, never a
 * flood as a working set (a hash matches another key's only by chance, one in four billion). Used by the thread that
 * counts, under its aggregator's lock.
 */
final class RecentKeys {
    /** Slots of an aggregator's: 512 KiB, for working sets of tens of thousands of pairs. */
    static final int SLOTS = 1 << 17;

    /** Slots a hash may take. */
    static final int WAYS = 4;

    /** Made at the first key: a thread that never counts (an idle listener's) takes no room. */
    private int[] hashes = new int[0];

    private final int mask;

    RecentKeys(int slots) {
        if (slots < WAYS || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.mask = slots - 1;
    }

    /** Notes the key of hash {@code h}; true when no key of that hash was noted lately. */
    boolean firstSeen(int h) {
        int v = h == 0 ? 1 : h; // 0 marks a free slot
        if (hashes.length == 0) {
            hashes = new int[mask + 1];
        }
        int b = Bytes.mix(h) & mask & ~(WAYS - 1);
        for (int k = 0; k < WAYS; k++) {
            int at = hashes[b + k];
            if (at == v) {
                return false;
            }
            if (at == 0) {
                hashes[b + k] = v;
                return true;
            }
        }
        // a full group: the slot the new key's top bits pick goes
        hashes[b + ((h >>> 28) & (WAYS - 1))] = v;
        return true;
    }
}
