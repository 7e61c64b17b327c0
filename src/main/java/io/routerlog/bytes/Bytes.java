package io.routerlog.bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers for the byte-oriented parsers: log lines are ASCII in practice, so the receive path works on
 * {@code byte[]} ranges and only turns them into {@link String}s when something new must be stored.
 */
public final class Bytes {
    private Bytes() {}

    /** Eight bytes of an array as one little-endian long: a single load once compiled. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The golden ratio's odd 64-bit multiplier: spreads every input bit over the higher ones. */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /**
     * A hash of a range, eight bytes at a time: each word is folded in with a multiply and a rotation, so a key of
     * 40 bytes costs six short steps where a byte-at-a-time hash took forty dependent multiplies (the receive path
     * hashes every line's pair key, client address and program name). The length goes into the start value, and
     * the last word is read overlapping the one before it (no byte loop for the tail). {@code seed} varies the
     * result; it is not a hash of a preceding range. Callers that pick buckets or partitions finish the result with
     * {@link #mix} or a similar step.
     */
    public static int hash(int seed, byte[] b, int off, int len) {
        long h = seed ^ (len * SPREAD);
        int end = off + len;
        if (len >= Long.BYTES) {
            int last = end - Long.BYTES;
            for (int i = off; i < last; i += Long.BYTES) {
                h = step(h, (long) LONGS.get(b, i));
            }
            h = step(h, (long) LONGS.get(b, last));
        } else if (len >= Integer.BYTES) {
            long first = (int) INTS.get(b, off);
            h = step(h, (first << 32) | ((int) INTS.get(b, end - Integer.BYTES) & 0xffffffffL));
        } else if (len > 0) {
            h = step(h, (b[off] & 0xff) | ((b[off + (len >> 1)] & 0xff) << 8) | ((b[end - 1] & 0xff) << 16));
        }
        return (int) (h ^ (h >>> 32));
    }

    private static long step(long h, long word) {
        return Long.rotateLeft((h ^ word) * SPREAD, 31);
    }

    /** A word with 0x80 in each byte of {@code x} that is zero and 0 elsewhere (exact: no borrow between bytes). */
    public static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /** {@code c} in each byte of a word. */
    private static long repeated(byte c) {
        return (c & 0xffL) * 0x0101010101010101L;
    }

    public static final int HASH_SEED = 0x811c9dc5;

    /** Spreads the bits of a hash so that the low bits used for bucket selection are well mixed. */
    public static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    public static boolean equals(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (aLen != bLen) {
            return false;
        }
        return Arrays.equals(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
    }

    /** True when {@code b[off..off+len)} equals the ASCII text {@code s} exactly. */
    public static boolean equalsAscii(byte[] b, int off, int len, String s) {
        if (len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the range starting at {@code off} (bounded by {@code end}) begins with ASCII text {@code s}. */
    public static boolean startsWith(byte[] b, int off, int end, String s) {
        int n = s.length();
        if (end - off < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code c} in {@code [from, end)}, or -1. Compares eight bytes at a time. */
    public static int indexOf(byte[] b, int from, int end, byte c) {
        if (end - from < Long.BYTES) {
            for (int i = from; i < end; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }
        long pattern = repeated(c);
        int last = end - Long.BYTES;
        for (int i = from; i < last; i += Long.BYTES) {
            long z = zeroBytes((long) LONGS.get(b, i) ^ pattern);
            if (z != 0) {
                return i + (Long.numberOfTrailingZeros(z) >>> 3);
            }
        }
        // the last word overlaps bytes already found not to match
        long z = zeroBytes((long) LONGS.get(b, last) ^ pattern);
        return z != 0 ? last + (Long.numberOfTrailingZeros(z) >>> 3) : -1;
    }

    /** Index of the last {@code c} in {@code [from, end)}, or -1. Compares eight bytes at a time. */
    public static int lastIndexOf(byte[] b, int from, int end, byte c) {
        if (end - from < Long.BYTES) {
            for (int i = end - 1; i >= from; i--) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }
        long pattern = repeated(c);
        for (int i = end - Long.BYTES; i > from; i -= Long.BYTES) {
            long z = zeroBytes((long) LONGS.get(b, i) ^ pattern);
            if (z != 0) {
                return i + Long.BYTES - 1 - (Long.numberOfLeadingZeros(z) >>> 3);
            }
        }
        // the first word overlaps bytes already found not to match
        long z = zeroBytes((long) LONGS.get(b, from) ^ pattern);
        return z != 0 ? from + Long.BYTES - 1 - (Long.numberOfLeadingZeros(z) >>> 3) : -1;
    }

    /** Index of the first occurrence of ASCII text {@code s} in {@code [from, end)}, or -1. */
    public static int indexOf(byte[] b, int from, int end, String s) {
        int n = s.length();
        byte first = (byte) s.charAt(0);
        for (int i = indexOf(b, from, end - n + 1, first); i >= 0; i = indexOf(b, i + 1, end - n + 1, first)) {
            if (startsWith(b, i, end, s)) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Parses an unsigned decimal number of at most 9 digits; returns -1 when the range is empty, too long or not
     * all digits.
     */
    public static int parseSmallInt(byte[] b, int off, int len) {
        if (len <= 0 || len > 9) {
            return -1;
        }
        int v = 0;
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The range as text of one char per byte (ISO-8859-1): nothing is lost, so whatever arrived can still be told
     * apart and escaped (see {@code rules.Names}).
     */
    public static String raw(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes a range as UTF-8. Pure ASCII (the usual case) takes a fast path; malformed sequences become
     * U+FFFD, so whatever arrives from the network ends up as a valid string.
     */
    public static String decode(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            if (b[i] < 0) {
                return new String(b, off, len, StandardCharsets.UTF_8);
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
