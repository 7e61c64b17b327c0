package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.routerlog.bytes.BytesTable;
import java.io.IOException;
import java.util.Arrays;

/**
 * One partition's part of a flush: which entries of the flush's {@link PairDeltas} go to that partition, read from
 * the pending table itself (no key is copied). Filled by the writer, then only read (by {@link AddToShard} on the
 * primary and, serialized, on the backups); the writer refills it at the next flush once the partition confirmed.
 * A part read back from its serialized form holds its keys itself.
 */
final class ShardDeltas implements PairShard.Deltas {
    private BytesTable keys;
    private long[] deltas;
    private int[] entries;
    private int size;

    ShardDeltas(int expected) {
        this.keys = new BytesTable(1);
        this.deltas = new long[0];
        this.entries = new int[Math.max(4, expected)];
    }

    /** Starts a part of {@code from}'s current arrays (which stay as they are until the write is confirmed). */
    void start(BytesTable fromKeys, long[] fromDeltas) {
        keys = fromKeys;
        deltas = fromDeltas;
        size = 0;
    }

    /** Adds entry {@code entry} of the table the part was started on. */
    void add(int entry) {
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size + (size >> 1) + 4);
        }
        entries[size++] = entry;
    }

    int size() {
        return size;
    }

    /** The entry of the {@link PairDeltas} that the part's {@code i}th key is. */
    int source(int i) {
        return entries[i];
    }

    /**
     * Empties it for the next flush, keeping its array unless it is more than 16 times what {@code expected} keys
     * need (false: then it should be dropped, so that one large flush does not hold memory for good).
     */
    boolean clear(int expected) {
        keys = EMPTY;
        deltas = NO_DELTAS;
        size = 0;
        return entries.length <= 16 * Math.max(4, expected);
    }

    private static final BytesTable EMPTY = new BytesTable(1);
    private static final long[] NO_DELTAS = new long[0];

    @Override
    public void forEach(Each each) {
        byte[] b = keys.keyBytes();
        for (int i = 0; i < size; i++) {
            int e = entries[i];
            each.accept(b, keys.keyOffset(e), keys.keyLength(e), keys.hash(e), deltas[e]);
        }
    }

    /** Writes the keys and deltas, for an entry processor that carries them (hashes are worked out again). */
    void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(size);
        byte[] b = keys.keyBytes();
        for (int i = 0; i < size; i++) {
            int e = entries[i];
            int len = keys.keyLength(e);
            out.writeInt(len);
            out.write(b, keys.keyOffset(e), len);
            out.writeLong(deltas[e]);
        }
    }

    /** Reads what {@link #writeData} wrote. */
    static ShardDeltas readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a negative number of keys");
        }
        int expected = Math.min(n, 1 << 16); // grows if there are more
        ShardDeltas d = new ShardDeltas(expected);
        BytesTable keys = new BytesTable(expected);
        long[] deltas = new long[Math.max(4, expected)];
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
            int e = keys.findOrAdd(key, 0, len, PairBytes.hash(key, 0, len));
            if (e >= deltas.length) {
                deltas = Arrays.copyOf(deltas, Math.max(e + 1, deltas.length * 2));
            }
            deltas[e] += in.readLong();
        }
        d.start(keys, deltas);
        for (int e = 0; e < keys.size(); e++) {
            d.add(e);
        }
        return d;
    }

    @Override
    public String toString() {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += deltas[entries[i]];
        }
        return "ShardDeltas{" + size + " keys, " + sum + "}";
    }
}
