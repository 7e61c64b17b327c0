package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * One partition's part of a flush: keys ({@link PairBytes}) one after another in one array, with their hashes and
 * deltas, and which entry of the {@link PairDeltas} each came from. Filled by the writer, then only read (by
 * {@link AddToShard} on the primary and the backups); the writer reuses it for the next flush once the partition
 * confirmed.
 */
final class ShardDeltas implements PairShard.Deltas {
    private byte[] bytes;
    private int[] starts; // entry i's key is bytes[starts[i], starts[i + 1])
    private int[] hashes;
    private long[] deltas;
    private int[] sources;
    private int size;

    ShardDeltas(int expected) {
        int n = Math.max(4, expected);
        this.bytes = new byte[n * 48];
        this.starts = new int[n + 1];
        this.hashes = new int[n];
        this.deltas = new long[n];
        this.sources = new int[n];
    }

    /** Adds the entry {@code source} of {@code from}. */
    void add(PairDeltas from, int source) {
        int len = from.keyLength(source);
        add(from.keyBytes(), from.keyOffset(source), len, from.hash(source), from.delta(source));
        sources[size - 1] = source;
    }

    private void add(byte[] b, int off, int len, int hash, long delta) {
        if (size == hashes.length) {
            int n = size * 2;
            starts = Arrays.copyOf(starts, n + 1);
            hashes = Arrays.copyOf(hashes, n);
            deltas = Arrays.copyOf(deltas, n);
            sources = Arrays.copyOf(sources, n);
        }
        int start = starts[size];
        if (start + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + len));
        }
        System.arraycopy(b, off, bytes, start, len);
        hashes[size] = hash;
        deltas[size] = delta;
        size++;
        starts[size] = start + len;
    }

    int size() {
        return size;
    }

    /** The entry of the {@link PairDeltas} that entry {@code i} came from. */
    int source(int i) {
        return sources[i];
    }

    /**
     * Empties it for the next flush, keeping its arrays unless they are more than 16 times what {@code expected}
     * keys need (false: then it should be dropped, so that one large flush does not hold memory for good).
     */
    boolean clear(int expected) {
        if (hashes.length > 16 * Math.max(4, expected)) {
            return false;
        }
        size = 0;
        return true;
    }

    @Override
    public void forEach(Each each) {
        for (int i = 0; i < size; i++) {
            each.accept(bytes, starts[i], starts[i + 1] - starts[i], hashes[i], deltas[i]);
        }
    }

    /** Writes the keys and deltas, for an entry processor that carries them (hashes are worked out again). */
    void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            int s = starts[i];
            int len = starts[i + 1] - s;
            out.writeInt(len);
            out.write(bytes, s, len);
            out.writeLong(deltas[i]);
        }
    }

    /** Reads what {@link #writeData} wrote. */
    static ShardDeltas readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a negative number of keys");
        }
        ShardDeltas d = new ShardDeltas(Math.min(n, 1 << 16)); // grows if there are more
        byte[] key = new byte[64];
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > 1 << 24) {
                throw new IOException("a key of " + len + " bytes");
            }
            if (len > key.length) {
                key = new byte[len];
            }
            in.readFully(key, 0, len);
            d.add(key, 0, len, PairBytes.hash(key, 0, len), in.readLong());
        }
        return d;
    }

    @Override
    public String toString() {
        return "ShardDeltas{" + size + " keys, "
                + Arrays.stream(deltas, 0, size).sum() + "}";
    }
}
