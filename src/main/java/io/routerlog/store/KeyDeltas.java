package io.routerlog.store;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.HeapData;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One partition's counter deltas by serialized key, in two arrays (open addressing, linear probing): a flush of
 * many keys makes a few arrays per partition instead of a map node and a boxed count per key.
 *
 * <p>Not thread-safe: filled by the writer, then only read (by the entry processor on the primary and backups).
 */
final class KeyDeltas {
    private @Nullable Data[] keys;
    private long[] deltas;
    private int size;

    KeyDeltas(int expected) {
        int capacity = capacityFor(expected);
        this.keys = new Data[capacity];
        this.deltas = new long[capacity];
    }

    /** A power of two at least twice {@code expected}. */
    private static int capacityFor(int expected) {
        return Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    }

    /** Adds {@code delta} to the key's delta. */
    void add(Data key, long delta) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = slot(keys, key);
        if (keys[i] == null) {
            keys[i] = key;
            size++;
        }
        deltas[i] += delta;
    }

    /**
     * Empties it, keeping its arrays unless they are more than 16 times what {@code expected} keys need (false: then
     * it should be dropped, so that one large flush does not hold memory for good).
     */
    boolean clear(int expected) {
        if (keys.length > 16 * capacityFor(expected)) {
            return false;
        }
        if (size > 0) {
            Arrays.fill(keys, null);
            Arrays.fill(deltas, 0);
            size = 0;
        }
        return true;
    }

    /** The key's delta, 0 when it has none. */
    long get(Data key) {
        int i = slot(keys, key);
        return keys[i] == null ? 0 : deltas[i];
    }

    int size() {
        return size;
    }

    /** The keys, as the map's API takes them (a view, for {@code submitToKeys}). */
    Set<Data> keySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Data> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < keys.length && keys[i] == null) {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Data next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Data k = keys[next];
                        next = advance(next + 1);
                        return k;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Calls {@code action} with every key and its delta. */
    void forEach(Each action) throws IOException {
        for (int i = 0; i < keys.length; i++) {
            Data k = keys[i];
            if (k != null) {
                action.accept(k, deltas[i]);
            }
        }
    }

    /** Writes the keys (their serialized bytes) and deltas, for an entry processor that carries them. */
    void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(size);
        forEach((key, delta) -> {
            out.writeByteArray(key.toByteArray());
            out.writeLong(delta);
        });
    }

    /** Reads what {@link #writeData} wrote. */
    static KeyDeltas readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a negative number of keys");
        }
        KeyDeltas deltas = new KeyDeltas(Math.min(n, 1 << 16)); // grows if there are more
        for (int i = 0; i < n; i++) {
            byte[] key = in.readByteArray();
            if (key == null) {
                throw new IOException("a key without bytes");
            }
            deltas.add(new HeapData(key), in.readLong());
        }
        return deltas;
    }

    /** A key and its delta. */
    interface Each {
        void accept(Data key, long delta) throws IOException;
    }

    private static int slot(@Nullable Data[] keys, Data key) {
        int mask = keys.length - 1;
        int i = mix(key.hashCode()) & mask;
        while (true) {
            Data k = keys[i];
            if (k == null || k.equals(key)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    private void grow() {
        @Nullable Data[] oldKeys = keys;
        long[] oldDeltas = deltas;
        keys = new Data[oldKeys.length * 2];
        deltas = new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            Data k = oldKeys[i];
            if (k != null) {
                int j = slot(keys, k);
                keys[j] = k;
                deltas[j] = oldDeltas[i];
            }
        }
    }

    @Override
    public String toString() {
        return "KeyDeltas{" + size + " keys, capacity " + keys.length + ", "
                + Arrays.stream(deltas).sum() + "}";
    }
}
