package io.routerlog.detect;

import java.util.Arrays;

/**
 * The distinct names asked for under one domain, estimated in bounded memory: the {@value #SIZE} smallest hashes of
 * the names seen (a k-minimum-values sketch), each with the name's packed {@link NameShape}. Below {@value #SIZE}
 * names the count is exact; above, the k-th smallest hash tells how densely the hash space was filled. The kept
 * names are a uniform sample of the distinct ones, whatever their repetitions, so the mean length and entropy of the
 * sample are those of the distinct names. Two samples merge into the sample of their union, in any order and any
 * number of times: adding a name again changes nothing.
 */
public final class DistinctSample {
    public static final int SIZE = 64;

    private long[] hashes;
    private int[] shapes;
    private int size;

    public DistinctSample() {
        this(new long[4], new int[4], 0);
    }

    /** A sample read back: {@code size} ascending distinct hashes and their shapes (the arrays are kept). */
    public DistinctSample(long[] hashes, int[] shapes, int size) {
        if (size > SIZE || hashes.length < size || shapes.length < size) {
            throw new IllegalArgumentException("bad sample of " + size);
        }
        this.hashes = hashes;
        this.shapes = shapes;
        this.size = size;
    }

    /** Adds a name by its non-negative hash and packed shape. */
    public void add(long hash, int shape) {
        int at = Arrays.binarySearch(hashes, 0, size, hash);
        if (at >= 0) {
            return;
        }
        int insert = -at - 1;
        if (size == SIZE) {
            if (insert == SIZE) {
                return; // larger than every kept hash
            }
            size--; // the largest goes
        } else if (size == hashes.length) {
            int grown = Math.min(SIZE, size * 2);
            hashes = Arrays.copyOf(hashes, grown);
            shapes = Arrays.copyOf(shapes, grown);
        }
        System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
        System.arraycopy(shapes, insert, shapes, insert + 1, size - insert);
        hashes[insert] = hash;
        shapes[insert] = shape;
        size++;
    }

    /** Forgets every name, keeping the arrays. */
    public void clear() {
        size = 0;
    }

    public void addAll(DistinctSample other) {
        for (int i = 0; i < other.size; i++) {
            add(other.hashes[i], other.shapes[i]);
        }
    }

    public int size() {
        return size;
    }

    public long hash(int i) {
        return hashes[i];
    }

    public int shape(int i) {
        return shapes[i];
    }

    /** How many distinct names were added: exact below {@value #SIZE}, an estimate (about 13 % error) above. */
    public long distinct() {
        if (size < SIZE) {
            return size;
        }
        double filled = (double) hashes[SIZE - 1] / Long.MAX_VALUE;
        return Math.max(SIZE, Math.round((SIZE - 1) / filled));
    }

    /** Mean length in bytes of the distinct names, 0 without any. */
    public double meanLength() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += NameShape.length(shapes[i]);
        }
        return size == 0 ? 0 : (double) sum / size;
    }

    /** Mean longest label in bytes of the distinct names. */
    public double meanLongestLabel() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += NameShape.longestLabel(shapes[i]);
        }
        return size == 0 ? 0 : (double) sum / size;
    }

    /** Mean entropy in bits per byte of the distinct names. */
    public double meanEntropy() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += NameShape.entropyCentibits(shapes[i]);
        }
        return size == 0 ? 0 : sum / 100.0 / size;
    }
}
