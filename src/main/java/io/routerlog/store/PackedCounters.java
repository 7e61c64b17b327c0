package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counters read out of a {@link CounterMap} in compact byte arrays: per entry the key's label values as UTF-8 and
 * the total count. An exporter walks it with a {@link Cursor} and writes the bytes out as they are, so reading a
 * hundred thousand counters creates no object per counter.
 *
 * <p>Layout of an entry: label count (1 byte), then per label its length (2 bytes, big-endian) and bytes, then the
 * count (8 bytes, big-endian). The entries are kept in chunks, each entry whole in one: growing starts a new chunk
 * instead of copying the old ones, and joining packs ({@link #addAll}) takes the other's chunks as they are. So
 * packing copies each byte once, and no array grows to the size of the whole pack (which, at 100,000 pairs, would
 * be large enough to outlive a young collection).
 */
public final class PackedCounters implements IdentifiedDataSerializable {
    /** Longest label value kept, in bytes; longer ones are cut at a character boundary. */
    static final int MAX_LABEL_BYTES = 4096;

    /** Hazelcast's serializer type of {@code DataSerializable} objects, in a {@code HeapData}'s header. */
    static final int DATA_SERIALIZABLE = -2;
    /** The header byte of an {@code IdentifiedDataSerializable} without a version. */
    static final byte IDENTIFIED = 1;
    /** Where a key's fields start: data header 8, serializer header 1, factory id 4, class id 4. */
    static final int KEY_LABELS = 17;

    /** The largest chunk made when a chunk fills (an entry or a {@link #reserve} larger than this gets its own). */
    static final int MAX_CHUNK = 256 * 1024;

    /** The most one {@link #reserve} sets aside, so that a chunk's length plus it stays an int. */
    private static final int MAX_RESERVE = 1 << 30;

    private static final byte[] NONE = new byte[0];

    /** The chunk being filled: {@code data[0, length)}. */
    private byte[] data;

    private int length;
    /** The chunks filled before it, and how much of each is used. */
    private byte[][] full = new byte[0][];

    private int[] fullLength = new int[0];
    private int fullCount;
    /** Bytes in the full chunks. */
    private long fullBytes;

    private int entries;

    public PackedCounters() {
        this(256);
    }

    PackedCounters(int capacity) {
        data = new byte[Math.max(16, capacity)];
    }

    /** Number of counters. */
    public int entries() {
        return entries;
    }

    /** Size of the packed data in bytes. */
    public long bytes() {
        return fullBytes + length;
    }

    /** Appends one counter whose labels are the given key's (a {@link LabelledKey}, or any object as one label). */
    void add(Object key, long count) {
        if (key instanceof LabelledKey k) {
            int n = Math.min(k.labelCount(), 255);
            int need = 1 + 8;
            for (int i = 0; i < n; i++) {
                need += labelRoom(k.label(i));
            }
            ensure(need); // the whole entry in one chunk
            data[length++] = (byte) n;
            for (int i = 0; i < n; i++) {
                label(k.label(i));
            }
        } else {
            String label = String.valueOf(key);
            ensure(1 + labelRoom(label) + 8);
            data[length++] = 1;
            label(label);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            data[length++] = (byte) (count >>> shift);
        }
        entries++;
    }

    /**
     * Appends one counter whose labels are read straight from the key's serialized form (a Hazelcast {@code
     * HeapData} of a {@link PairKey} or {@link LabelValuesKey}: 8 bytes of header, the serializer's header byte,
     * factory and class id, then each label as an int length and its UTF-8 bytes), without making the key and its
     * strings. The bytes are checked as they are read; when they are not in that form (another key type, another
     * byte order, a label longer than {@link #MAX_LABEL_BYTES}) nothing is appended and the caller packs the key
     * object with {@link #add} instead.
     *
     * @return whether the counter was appended
     */
    boolean addSerialized(byte[] key, long count) {
        return addSerialized(key, 0, key.length, count);
    }

    /** Like {@link #addSerialized(byte[], long)}, for a key at {@code off} of {@code len} bytes. */
    boolean addSerialized(byte[] key, int off, int len, long count) {
        // HeapData: partition hash (4), serializer type (4, big-endian), then the payload
        if (len < KEY_LABELS || readInt(key, off + 4) != DATA_SERIALIZABLE || key[off + 8] != IDENTIFIED) {
            return false;
        }
        if (readInt(key, off + 9) != StoreSerialization.FACTORY_ID) {
            return false;
        }
        int classId = readInt(key, off + 13);
        int p = off + KEY_LABELS;
        int end = off + len;
        int labels;
        if (classId == StoreSerialization.PAIR_KEY) {
            labels = 4;
        } else if (classId == StoreSerialization.LABEL_VALUES_KEY && end >= p + 4) {
            labels = readInt(key, p);
            p += 4;
            if (labels < 0 || labels > 255) {
                return false;
            }
        } else {
            return false;
        }
        ensure(1 + len + 8); // each label's 4-byte length becomes 2 bytes
        int start = length;
        byte[] d = data;
        int q = start;
        d[q++] = (byte) labels;
        for (int i = 0; i < labels; i++) {
            if (p + 4 > end) {
                return false;
            }
            int n = readInt(key, p);
            p += 4;
            if (n < 0 || n > MAX_LABEL_BYTES || n > end - p) {
                return false; // data is unchanged: length still marks the end
            }
            d[q++] = (byte) (n >>> 8);
            d[q++] = (byte) n;
            System.arraycopy(key, p, d, q, n);
            q += n;
            p += n;
        }
        if (p != end) {
            return false;
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            d[q++] = (byte) (count >>> shift);
        }
        length = q;
        entries++;
        return true;
    }

    /**
     * Appends a pair's counter from its key ({@link PairBytes}), read with {@code fields}: the labels router,
     * client, domain and type. False (nothing appended) when the key is not one or a label is longer than {@link
     * #MAX_LABEL_BYTES}; the caller then packs the decoded key with {@link #add}.
     */
    boolean addPair(byte[] key, int off, int len, long count, PairBytes.Fields fields) {
        if (!fields.read(key, off, len)
                || fields.routerLength() > MAX_LABEL_BYTES
                || fields.clientLength() > MAX_LABEL_BYTES
                || fields.domainLength() > MAX_LABEL_BYTES
                || fields.qtypeLength() > MAX_LABEL_BYTES) {
            return false;
        }
        ensure(1 + len + 8 + 8);
        byte[] d = data;
        int q = length;
        d[q++] = 4;
        q = label(d, q, key, fields.routerOffset(), fields.routerLength());
        q = label(d, q, key, fields.clientOffset(), fields.clientLength());
        q = label(d, q, key, fields.domainOffset(), fields.domainLength());
        q = label(d, q, key, fields.qtypeOffset(), fields.qtypeLength());
        for (int shift = 56; shift >= 0; shift -= 8) {
            d[q++] = (byte) (count >>> shift);
        }
        length = q;
        entries++;
        return true;
    }

    private static int label(byte[] d, int at, byte[] src, int off, int n) {
        d[at] = (byte) (n >>> 8);
        d[at + 1] = (byte) n;
        System.arraycopy(src, off, d, at + 2, n);
        return at + 2 + n;
    }

    private static int readInt(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    /**
     * Appends every counter of {@code other} by taking its chunks as they are: nothing is copied, and since a pack
     * only ever appends, what {@code other} adds later is not seen here.
     */
    void addAll(PackedCounters other) {
        if (other.entries == 0) {
            return;
        }
        seal();
        for (int i = 0; i < other.fullCount; i++) {
            append(other.full[i], other.fullLength[i]);
        }
        append(other.data, other.length);
        data = NONE;
        entries += other.entries;
    }

    /** Moves the chunk being filled, if it holds anything, to the full ones. */
    private void seal() {
        if (length > 0) {
            append(data, length);
            data = NONE;
            length = 0;
        }
    }

    private void append(byte[] chunk, int used) {
        if (used == 0) {
            return;
        }
        if (fullCount == full.length) {
            int n = Math.max(4, fullCount * 2);
            full = Arrays.copyOf(full, n);
            fullLength = Arrays.copyOf(fullLength, n);
        }
        full[fullCount] = chunk;
        fullLength[fullCount++] = used;
        fullBytes += used;
    }

    /** Room a label takes at most: its length and up to three bytes per UTF-16 unit, cut at the longest kept. */
    private static int labelRoom(String s) {
        return 2 + Math.min(MAX_LABEL_BYTES, s.length() * 3);
    }

    /** Writes a label where {@link #labelRoom} bytes are free: a surrogate pair's four bytes take its two units' six. */
    private void label(String s) {
        int lengthAt = length;
        int p = length + 2;
        int limit = p + MAX_LABEL_BYTES;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD; // a lone surrogate has no UTF-8 form
            }
            int need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (p + need > limit) {
                break;
            }
            if (need == 1) {
                data[p++] = (byte) cp;
            } else if (need == 2) {
                data[p++] = (byte) (0xC0 | cp >> 6);
                data[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (need == 3) {
                data[p++] = (byte) (0xE0 | cp >> 12);
                data[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                data[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                data[p++] = (byte) (0xF0 | cp >> 18);
                data[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                data[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                data[p++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        int n = p - lengthAt - 2;
        data[lengthAt] = (byte) (n >>> 8);
        data[lengthAt + 1] = (byte) n;
        length = p;
    }

    /**
     * Makes room for {@code n} more bytes in the chunk being filled (an estimate of what is about to be added), so
     * that they go to one chunk of that size rather than to several.
     */
    void reserve(long n) {
        if (n > 0) {
            ensure((int) Math.min(n, MAX_RESERVE));
        }
    }

    /** Makes room for {@code n} bytes in the chunk being filled: a new chunk when they do not fit, never a copy. */
    private void ensure(int n) {
        if (length + n > data.length) {
            int size = Math.max(n, Math.min(MAX_CHUNK, Math.max(256, 2 * data.length)));
            seal();
            data = new byte[size];
        }
    }

    /** A reader over the counters, in the order they were added. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Walks the counters: {@link #next()}, then the labels and the count of the current one. */
    public final class Cursor {
        /** The chunk read: an index into the full chunks, then {@code fullCount} for the one being filled. */
        private int chunk = -1;

        private byte[] data = NONE;
        private int end;
        private int pos;
        private int labels;
        private final int[] offsets = new int[256];
        private final int[] lengths = new int[256];
        private long value;

        /** Moves to the next counter; false at the end. */
        public boolean next() {
            while (pos >= end) {
                if (chunk >= fullCount) {
                    return false;
                }
                chunk++;
                data = chunk < fullCount ? full[chunk] : PackedCounters.this.data;
                end = chunk < fullCount ? fullLength[chunk] : length;
                pos = 0;
            }
            labels = data[pos++] & 0xff;
            for (int i = 0; i < labels; i++) {
                int n = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
                offsets[i] = pos + 2;
                lengths[i] = n;
                pos += 2 + n;
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (data[pos++] & 0xff);
            }
            value = v;
            return true;
        }

        /** The chunk of packed data the current counter's label offsets point into (do not modify). */
        public byte[] bytes() {
            return data;
        }

        public int labels() {
            return labels;
        }

        public int labelOffset(int i) {
            return offsets[i];
        }

        public int labelLength(int i) {
            return lengths[i];
        }

        /** The label as a string (for tests and small tables; exporters copy the bytes instead). */
        public String label(int i) {
            return new String(data, offsets[i], lengths[i], StandardCharsets.UTF_8);
        }

        public long value() {
            return value;
        }
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PACKED_COUNTERS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        long total = bytes();
        if (total > Integer.MAX_VALUE) {
            throw new IOException("packed counters too large to send: " + total + " bytes");
        }
        out.writeInt(entries);
        out.writeInt((int) total);
        for (int i = 0; i < fullCount; i++) {
            out.write(full[i], 0, fullLength[i]);
        }
        out.write(data, 0, length);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        int len = in.readInt();
        if (n < 0 || len < 0) {
            throw new IOException("bad packed counters: " + n + " entries, " + len + " bytes");
        }
        full = new byte[0][];
        fullLength = new int[0];
        fullCount = 0;
        fullBytes = 0;
        data = new byte[Math.max(16, len)];
        in.readFully(data, 0, len);
        length = len;
        entries = n;
    }
}
