package io.routerlog.rules;

import com.google.common.net.InternetDomainName;
import io.routerlog.bytes.Bytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The one form in which queried names (and other text from the network) are stored, whatever source gave them:
 * <ul>
 *   <li>ASCII letters lower-cased: DNS compares names case-insensitively in ASCII only (RFC 4343), which is also how
 *       dnsmasq lower-cases them; other letters keep their bytes;</li>
 *   <li>every byte that is not printable ASCII or a space (control characters, DEL, anything above 0x7e, so invalid
 *       UTF-8 too), and the backslash itself, written as {@code \DDD} (three decimal digits, as DNS zone files
 *       write them), so that distinct names stay distinct and nothing unprintable reaches a label or a table;</li>
 *   <li>for names: no trailing dot, and the root as {@code .}.</li>
 * </ul>
 * A name longer than the 253 characters a DNS name can have is stored as a suffix of it: its registrable domain
 * (the label below its public suffix, from the Public Suffix List), else its last two labels, never more than 253
 * characters.
 */
public final class Names {
    /** The longest name DNS allows in presentation form, without the trailing dot. */
    public static final int MAX_NAME_LENGTH = 253;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    // in each byte of a word; added to a byte of at most 0x7f they set its high bit when it is at least some value
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7f * ONES;
    /** Sets the high bit of bytes from ' ' up. */
    private static final long BELOW_SPACE = (0x80 - ' ') * ONES;
    /** Sets the high bit of bytes from 'A' up. */
    private static final long BELOW_A = (0x80 - 'A') * ONES;
    /** Sets the high bit of bytes above 'Z'. */
    private static final long ABOVE_Z = (0x80 - 'Z' - 1) * ONES;

    private static final long BACKSLASHES = '\\' * ONES;

    private Names() {}

    /** Room {@link #normalize} may need for a name of {@code length} bytes. */
    static int capacity(int length) {
        return 4 * length + 1;
    }

    /**
     * Writes the stored form of the name {@code b[off, off+len)} to {@code dst} from {@code dstOff} (with room for
     * {@link #capacity}); returns its length.
     */
    static int normalize(byte[] b, int off, int len, byte[] dst, int dstOff) {
        if (len > 0 && b[off + len - 1] == '.') {
            len--;
        }
        if (len == 0) {
            dst[dstOff] = '.';
            return 1;
        }
        int p = dstOff;
        int i = off;
        int end = off + len;
        // eight bytes at a time while they are printable ASCII without a backslash (nearly every name)
        int last = end - Long.BYTES;
        for (; i <= last; i += Long.BYTES, p += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            if (!isPlainWord(x)) {
                break;
            }
            LONGS.set(dst, p, lowerCased(x));
        }
        if (i > last && i < end && len >= Long.BYTES) {
            // the tail as the last word, which overlaps bytes already written the same way
            long x = (long) LONGS.get(b, last);
            if (isPlainWord(x)) {
                LONGS.set(dst, dstOff + last - off, lowerCased(x));
                return len;
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= 'A' && c <= 'Z') {
                dst[p++] = (byte) (c + ('a' - 'A'));
            } else if (c >= ' ' && c < 0x7f && c != '\\') {
                dst[p++] = c;
            } else {
                p = escape(c & 0xff, dst, p);
            }
        }
        return p - dstOff;
    }

    /** True when no byte of the word needs an escape. */
    private static boolean isPlainWord(long x) {
        long x7 = x & LOW7;
        return ((x | ~(x7 + BELOW_SPACE) | (x7 + ONES) | Bytes.zeroBytes(x ^ BACKSLASHES)) & HIGH) == 0;
    }

    /** A word of bytes that need no escape with its ASCII capitals lower-cased. */
    private static long lowerCased(long x) {
        long upper = (x + BELOW_A) & ~(x + ABOVE_Z) & HIGH;
        return x + (upper >>> 2); // 0x80 >>> 2 = 'a' - 'A'
    }

    /**
     * Writes {@code b[off, off+len)} with the escapes of names but nothing else changed (for query types) to
     * {@code dst} from {@code dstOff} (with room for {@link #capacity}); returns its length.
     */
    static int escape(byte[] b, int off, int len, byte[] dst, int dstOff) {
        int p = dstOff;
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            p = isPlain((char) (c & 0xff)) ? put(dst, p, c) : escape(c & 0xff, dst, p);
        }
        return p - dstOff;
    }

    /** Text from the network (one char per byte, as {@link Bytes#raw} reads it) with the same escapes as names. */
    public static String escape(String text) {
        int i = 0;
        while (i < text.length() && isPlain(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        byte[] b = text.getBytes(
                text.chars().allMatch(c -> c <= 0xff) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        byte[] out = new byte[capacity(b.length)];
        int p = 0;
        for (byte c : b) {
            p = isPlain((char) (c & 0xff)) ? put(out, p, c) : escape(c & 0xff, out, p);
        }
        return new String(out, 0, p, StandardCharsets.ISO_8859_1);
    }

    private static boolean isPlain(char c) {
        return c >= ' ' && c < 0x7f && c != '\\';
    }

    private static int put(byte[] out, int p, byte c) {
        out[p] = c;
        return p + 1;
    }

    private static int escape(int v, byte[] dst, int p) {
        dst[p] = '\\';
        dst[p + 1] = (byte) ('0' + v / 100);
        dst[p + 2] = (byte) ('0' + v / 10 % 10);
        dst[p + 3] = (byte) ('0' + v % 10);
        return p + 4;
    }

    /**
     * Where the stored suffix of an over-long name {@code b[off, off+len)} (stored form, longer than
     * {@link #MAX_NAME_LENGTH}) starts: its registrable domain, else its last two labels, else its last 253
     * characters.
     */
    static int shortenedStart(byte[] b, int off, int len) {
        int end = off + len;
        // grow the suffix label by label until it is more than a public suffix: that is the registrable domain
        int start = end;
        while (start > off) {
            int dot = Bytes.lastIndexOf(b, off, start - 1, (byte) '.');
            start = dot < 0 ? off : dot + 1;
            if (end - start > MAX_NAME_LENGTH) {
                break;
            }
            InternetDomainName suffix;
            try {
                suffix = InternetDomainName.from(Bytes.raw(b, start, end - start));
            } catch (IllegalArgumentException e) {
                break; // not a name the Public Suffix List can speak of (escapes, odd characters)
            }
            if (suffix.isUnderPublicSuffix()) {
                return end - suffix.topPrivateDomain().toString().length();
            }
            if (!suffix.isPublicSuffix()) {
                break;
            }
            if (dot < 0) {
                break;
            }
            start = dot;
        }
        int lastDot = Bytes.lastIndexOf(b, off, end, (byte) '.');
        int dotBefore = lastDot < 0 ? -1 : Bytes.lastIndexOf(b, off, lastDot, (byte) '.');
        return Math.max(dotBefore < 0 ? off : dotBefore + 1, end - MAX_NAME_LENGTH);
    }
}
