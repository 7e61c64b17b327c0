package io.routerlog.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A place in the query log's order: newer is a later time, then (for the same millisecond) a greater writer, chunk
 * and position. Given to clients as an opaque URL-safe string.
 */
record QueryLogCursor(long timeMillis, String writer, long chunk, int position) {
    private static final byte VERSION = 1;
    private static final int FIXED = 1 + 8 + 8 + 4;

    QueryLogCursor {
        Objects.requireNonNull(writer);
    }

    /** Negative when (t1, w1, c1, p1) is older than (t2, w2, c2, p2), positive when newer, 0 when the same. */
    static int compare(long t1, String w1, long c1, int p1, long t2, String w2, long c2, int p2) {
        if (t1 != t2) {
            return Long.compare(t1, t2);
        }
        int w = w1.compareTo(w2);
        if (w != 0) {
            return w;
        }
        if (c1 != c2) {
            return Long.compare(c1, c2);
        }
        return Integer.compare(p1, p2);
    }

    /** Compares this cursor's place with an entry's. */
    int compareTo(long t, String w, long c, int p) {
        return compare(timeMillis, writer, chunk, position, t, w, c, p);
    }

    String encode() {
        byte[] w = writer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED + w.length);
        b.put(VERSION).putLong(timeMillis).putLong(chunk).putInt(position).put(w);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /**
     * Reads a cursor this class wrote.
     *
     * @throws IllegalArgumentException with a one-line message when {@code text} is not one
     */
    static QueryLogCursor decode(String text) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw bad("not a cursor of this query log");
        }
        if (raw.length <= FIXED || raw.length > FIXED + 1024 || raw[0] != VERSION) {
            throw bad("not a cursor of this query log");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        b.get();
        long time = b.getLong();
        long chunk = b.getLong();
        int position = b.getInt();
        String writer;
        try {
            writer = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b)
                    .toString();
        } catch (CharacterCodingException e) {
            throw bad("not a cursor of this query log");
        }
        if (time < 0 || chunk < 0 || position < 0 || position >= QueryLog.CHUNK) {
            throw bad("not a cursor of this query log");
        }
        return new QueryLogCursor(time, writer, chunk, position);
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("bad cursor: " + why);
    }
}
