package io.routerlog.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers for the byte-oriented parsers: log lines are ASCII in practice, so the receive path works on
 * {@code byte[]} ranges and only turns them into {@link String}s when something new must be stored.
 */
public final class Bytes {
    private Bytes() {}

    /** FNV-1a over a range, continuing from {@code seed}. */
    public static int hash(int seed, byte[] b, int off, int len) {
        int h = seed;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return h;
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

    /** Index of the first {@code c} in {@code [from, end)}, or -1. */
    public static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last {@code c} in {@code [from, end)}, or -1. */
    public static int lastIndexOf(byte[] b, int from, int end, byte c) {
        for (int i = end - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first occurrence of ASCII text {@code s} in {@code [from, end)}, or -1. */
    public static int indexOf(byte[] b, int from, int end, String s) {
        int n = s.length();
        byte first = (byte) s.charAt(0);
        for (int i = from, last = end - n; i <= last; i++) {
            if (b[i] == first && startsWith(b, i, end, s)) {
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
