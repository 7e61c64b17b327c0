package io.routerlog.store;

import io.routerlog.bytes.BytesTable;
import java.util.Arrays;

/**
 * Pair counts waiting for the store, by key ({@link PairBytes}): what a flush hands {@link PairMap#add(PairDeltas,
 * long)}. The keys' bytes follow one another in one array and the deltas are a second one, so a flush of many pairs
 * keeps no object per pair. The store sets each delta it confirmed to 0; {@link #compact} then drops those keys.
 *
 * <p>Not thread-safe: the flush thread owns it.
 */
public final class PairDeltas {
    private BytesTable keys = new BytesTable(1024);
    private long[] deltas = new long[1024];
    private int nonZero;

    /** Adds {@code delta} to the key at {@code off}; {@code hash} is {@link PairBytes#hash} of it. */
    public void add(byte[] b, int off, int len, int hash, long delta) {
        if (delta == 0) {
            return;
        }
        int e = keys.findOrAdd(b, off, len, hash);
        if (e >= deltas.length) {
            int n = Math.max(deltas.length * 2, e + 1);
            deltas = Arrays.copyOf(deltas, n);
        }
        long before = deltas[e];
        long after = before + delta;
        deltas[e] = after;
        if (before == 0) {
            nonZero++;
        } else if (after == 0) {
            nonZero--;
        }
    }

    /** Keys held (some may be at 0 until {@link #compact}). */
    public int size() {
        return keys.size();
    }

    /** Keys with a delta not yet confirmed. */
    public int pending() {
        return nonZero;
    }

    /** The sum of the deltas not yet confirmed. */
    public long total() {
        long sum = 0;
        for (int e = 0, n = keys.size(); e < n; e++) {
            sum += deltas[e];
        }
        return sum;
    }

    /** The delta of a key, 0 when it has none. */
    public long get(byte[] b, int off, int len) {
        int e = keys.find(b, off, len, PairBytes.hash(b, off, len));
        return e < 0 ? 0 : deltas[e];
    }

    /** Forgets every key. */
    public void clear() {
        if (keys.size() > 0) {
            Arrays.fill(deltas, 0, keys.size(), 0);
            keys.clear();
        }
        nonZero = 0;
    }

    /** Drops the keys at 0. */
    public void compact() {
        int n = keys.size();
        if (nonZero == n) {
            return;
        }
        if (nonZero == 0) {
            clear();
            return;
        }
        keys.retain((from, to) -> {
            long d = deltas[from];
            deltas[to] = d;
            return d != 0;
        });
        Arrays.fill(deltas, keys.size(), n, 0);
    }

    // ---- for the store's writer ----

    BytesTable keys() {
        return keys;
    }

    long[] deltas() {
        return deltas;
    }

    /**
     * Leaves the current arrays to whoever may still read them (a write that did not finish) and goes on with copies
     * of the unconfirmed entries.
     */
    void detach() {
        BytesTable old = keys;
        long[] oldDeltas = deltas;
        int n = old.size();
        keys = new BytesTable(Math.max(16, nonZero));
        deltas = new long[Math.max(16, nonZero)];
        nonZero = 0;
        byte[] b = old.keyBytes();
        for (int e = 0; e < n; e++) {
            if (oldDeltas[e] != 0) {
                add(b, old.keyOffset(e), old.keyLength(e), old.hash(e), oldDeltas[e]);
            }
        }
    }

    int hash(int entry) {
        return keys.hash(entry);
    }

    long delta(int entry) {
        return deltas[entry];
    }

    /** The store took the entry's delta. */
    void confirmed(int entry) {
        if (deltas[entry] != 0) {
            deltas[entry] = 0;
            nonZero--;
        }
    }
}
