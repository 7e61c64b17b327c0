package io.routerlog.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DNS queries for the query log, packed one after the other into one growable byte array: per entry the time in
 * milliseconds (8 bytes), the lengths of router, client, domain and query type (2 bytes each), then their bytes as
 * they are stored (UTF-8). Used by the aggregation to buffer queries between flushes, by {@link QueryLog#append}
 * and, in the same layout, inside every {@link QueryLogChunk}.
 *
 * <p>Adding an entry allocates nothing once the array has grown to its working size; {@link #clear} keeps the array.
 * Not thread-safe.
 */
public final class QueryLogEntries {
    /** Bytes before an entry's fields: time and four lengths. */
    static final int HEADER = 8 + 4 * 2;

    /** Longest field kept; longer ones (which stored names never are) are cut to it. */
    static final int MAX_FIELD = 0xffff;

    private byte[] buf;
    private int used;
    private int smallClears;
    private int count;

    public QueryLogEntries() {
        this(1024);
    }

    public QueryLogEntries(int initialBytes) {
        this.buf = new byte[Math.max(64, initialBytes)];
    }

    /** Entries held. */
    public int count() {
        return count;
    }

    /** Bytes the entries take. */
    public int byteSize() {
        return used;
    }

    byte[] buffer() {
        return buf;
    }

    /** An array this large is given back when it was mostly empty: a flood of queries has passed. */
    static final int TRIM_ABOVE = 256 * 1024;
    /** Clears in a row that used little of a large array before it is trimmed. */
    static final int TRIM_AFTER = 64;

    /**
     * Removes every entry; keeps the array for reuse, unless it is over {@value #TRIM_ABOVE} bytes and the last
     * {@value #TRIM_AFTER} clears each removed entries that filled less than an eighth of it, so that what a flood
     * grew is not held for good. (Trimming at the first small clear made a buffer whose use varies from flush to
     * flush shrink and grow again and again, and each new array was garbage for the collector.)
     */
    public void clear() {
        if (buf.length > TRIM_ABOVE && used < buf.length / 8) {
            if (++smallClears >= TRIM_AFTER) {
                buf = new byte[Math.max(64 * 1024, 2 * used)];
                smallClears = 0;
            }
        } else {
            smallClears = 0;
        }
        used = 0;
        count = 0;
    }

    /**
     * Goes on with a copy of the array, leaving the old one as it is to whoever still reads it (an append to the
     * store that did not answer in time).
     */
    void detach() {
        buf = buf.clone();
    }

    /** Appends one entry from byte ranges (each field as it is stored, UTF-8). */
    public void add(
            long timeMillis,
            byte[] routerBuf,
            int routerOff,
            int routerLen,
            byte[] buf,
            int clientOff,
            int clientLen,
            int domainOff,
            int domainLen,
            int qtypeOff,
            int qtypeLen) {
        int r = Math.min(routerLen, MAX_FIELD);
        int c = Math.min(clientLen, MAX_FIELD);
        int d = Math.min(domainLen, MAX_FIELD);
        int q = Math.min(qtypeLen, MAX_FIELD);
        int off = reserve(HEADER + r + c + d + q);
        byte[] b = this.buf;
        writeLong(b, off, timeMillis);
        writeShort(b, off + 8, r);
        writeShort(b, off + 10, c);
        writeShort(b, off + 12, d);
        writeShort(b, off + 14, q);
        int p = off + HEADER;
        System.arraycopy(routerBuf, routerOff, b, p, r);
        p += r;
        System.arraycopy(buf, clientOff, b, p, c);
        p += c;
        System.arraycopy(buf, domainOff, b, p, d);
        p += d;
        System.arraycopy(buf, qtypeOff, b, p, q);
    }

    /** Appends one entry from strings (tests, tools; the receive path adds byte ranges). */
    public void add(LoggedQuery q) {
        byte[] r = q.router().getBytes(StandardCharsets.UTF_8);
        byte[] c = q.client().getBytes(StandardCharsets.UTF_8);
        byte[] d = q.domain().getBytes(StandardCharsets.UTF_8);
        byte[] t = q.qtype().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[c.length + d.length + t.length];
        System.arraycopy(c, 0, all, 0, c.length);
        System.arraycopy(d, 0, all, c.length, d.length);
        System.arraycopy(t, 0, all, c.length + d.length, t.length);
        add(q.timeMillis(), r, 0, r.length, all, 0, c.length, c.length, d.length, c.length + d.length, t.length);
    }

    /** Appends a copy of the entry at {@code off} of {@code from}'s array (see {@link #offsetAfter}). */
    public void addEntry(QueryLogEntries from, int off) {
        int len = entryLength(from.buf, off);
        int to = reserve(len);
        System.arraycopy(from.buf, off, buf, to, len);
    }

    /** Appends {@code n} entries that take {@code len} bytes at {@code off} of {@code from}. */
    void addRange(byte[] from, int off, int len, int n) {
        int to = reserve(len, n);
        System.arraycopy(from, off, buf, to, len);
    }

    /** Removes the {@code n} oldest (first) entries. */
    public void dropFirst(int n) {
        if (n <= 0) {
            return;
        }
        if (n >= count) {
            clear();
            return;
        }
        int off = 0;
        for (int i = 0; i < n; i++) {
            off += entryLength(buf, off);
        }
        System.arraycopy(buf, off, buf, 0, used - off);
        used -= off;
        count -= n;
    }

    /** Time of the entry at {@code off}. */
    public long timeAt(int off) {
        return readLong(buf, off);
    }

    /** Offset of the entry after the one at {@code off}. */
    public int offsetAfter(int off) {
        return off + entryLength(buf, off);
    }

    /** The entry at {@code off}, decoded (tests, tools). */
    public LoggedQuery entryAt(int off) {
        return decode(buf, off);
    }

    private int reserve(int len) {
        return reserve(len, 1);
    }

    private int reserve(int len, int entries) {
        if (used + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(used + len, buf.length * 2));
        }
        int off = used;
        used += len;
        count += entries;
        return off;
    }

    static int entryLength(byte[] b, int off) {
        return HEADER
                + readShort(b, off + 8)
                + readShort(b, off + 10)
                + readShort(b, off + 12)
                + readShort(b, off + 14);
    }

    static LoggedQuery decode(byte[] b, int off) {
        int r = readShort(b, off + 8);
        int c = readShort(b, off + 10);
        int d = readShort(b, off + 12);
        int q = readShort(b, off + 14);
        int p = off + HEADER;
        String router = new String(b, p, r, StandardCharsets.UTF_8);
        p += r;
        String client = new String(b, p, c, StandardCharsets.UTF_8);
        p += c;
        String domain = new String(b, p, d, StandardCharsets.UTF_8);
        p += d;
        String qtype = new String(b, p, q, StandardCharsets.UTF_8);
        return new LoggedQuery(readLong(b, off), router, client, domain, qtype);
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static void writeShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static int readShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }
}
