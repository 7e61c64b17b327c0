package io.routerlog.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * IP address literals as text, without lookups or allocation: checks them, reads them into their bytes and writes
 * the one canonical form every stage stores (dotted IPv4; IPv6 as RFC 5952 recommends, lower case with the longest
 * run of zero groups as {@code ::}; an IPv4-mapped IPv6 address ({@code ::ffff:192.168.1.23}) as the IPv4 address
 * it maps). An IPv6 literal may carry a zone ({@code fe80::1%br-lan}), which is kept as it is.
 */
public final class IpText {
    /** The longest canonical text: a full IPv6 address with an embedded IPv4 tail, plus a zone. */
    private static final int ZONE_LIMIT = 64;

    public static final int MAX_TEXT = 45 + 1 + ZONE_LIMIT;

    private IpText() {}

    /** True when {@code b[off, off+len)} is an IPv4 or IPv6 literal (IPv6 with an optional zone). */
    public static boolean isAddress(byte[] b, int off, int len) {
        return parse(b, off, len, null) > 0;
    }

    /** True when {@code text} is an IPv4 or IPv6 literal (IPv6 with an optional zone). */
    public static boolean isAddress(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length, null) > 0;
    }

    /**
     * Reads the literal {@code b[off, off+len)} into {@code out} (4 bytes for IPv4, 16 for IPv6; may be null to
     * only check it): returns 4 or 16, or -1 when it is not an address. A zone is checked but not read.
     */
    public static int parse(byte[] b, int off, int len, byte @Nullable [] out) {
        int end = off + len;
        if (len <= 0) {
            return -1;
        }
        int zone = Bytes.indexOf(b, off, end, (byte) '%');
        if (zone >= 0) {
            if (!isZone(b, zone + 1, end)) {
                return -1;
            }
            end = zone;
        }
        if (zone < 0 && Bytes.indexOf(b, off, end, (byte) ':') < 0) {
            return parseIpv4(b, off, end, out, 0) ? 4 : -1;
        }
        return parseIpv6(b, off, end, out) ? 16 : -1;
    }

    /** Start of the zone ({@code %...}) of a valid literal, or -1 when it has none. */
    public static int zoneStart(byte[] b, int off, int len) {
        return Bytes.indexOf(b, off, off + len, (byte) '%');
    }

    /**
     * Writes the canonical form of the literal {@code b[off, off+len)} to {@code dst} (at least {@link #MAX_TEXT}
     * bytes from {@code dstOff}); returns its length, or -1 when the text is not an address.
     */
    public static int canonical(byte[] b, int off, int len, byte[] scratch16, byte[] dst, int dstOff) {
        int n = parse(b, off, len, scratch16);
        if (n < 0) {
            return -1;
        }
        int p = format(scratch16, n, dst, dstOff);
        int zone = zoneStart(b, off, len);
        if (zone >= 0 && n == 16 && !isMappedIpv4(scratch16)) {
            int zl = off + len - zone;
            System.arraycopy(b, zone, dst, dstOff + p, zl);
            p += zl;
        }
        return p;
    }

    /**
     * Writes the canonical text of an address given as its 4 or 16 bytes to {@code dst}; returns its length.
     */
    public static int format(byte[] a, int n, byte[] dst, int dstOff) {
        if (n == 4) {
            return formatIpv4(a, 0, dst, dstOff);
        }
        if (isMappedIpv4(a)) {
            return formatIpv4(a, 12, dst, dstOff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(a, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(a, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        int p = dstOff;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                dst[p++] = ':';
                dst[p++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (p > dstOff && dst[p - 1] != ':') {
                dst[p++] = ':';
            }
            p = hex(group(a, i), dst, p);
        }
        return p - dstOff;
    }

    /** True for an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}) given as its 16 bytes. */
    public static boolean isMappedIpv4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static int group(byte[] a, int i) {
        return ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }

    private static int hex(int v, byte[] dst, int p) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                dst[p++] = (byte) (d < 10 ? '0' + d : 'a' + d - 10);
                started = true;
            }
        }
        return p;
    }

    private static int formatIpv4(byte[] a, int from, byte[] dst, int dstOff) {
        int p = dstOff;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                dst[p++] = '.';
            }
            int v = a[from + i] & 0xff;
            if (v >= 100) {
                dst[p++] = (byte) ('0' + v / 100);
            }
            if (v >= 10) {
                dst[p++] = (byte) ('0' + v / 10 % 10);
            }
            dst[p++] = (byte) ('0' + v % 10);
        }
        return p - dstOff;
    }

    /** Dotted-quad IPv4 into {@code out[at, at+4)} (when out is not null): four numbers of 0-255, up to 3 digits. */
    private static boolean parseIpv4(byte[] b, int from, int to, byte @Nullable [] out, int at) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && Bytes.isDigit(b[i]) && i - start < 3) {
                value = value * 10 + (b[i] - '0');
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            if (out != null) {
                out[at + parts] = (byte) value;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (b[i] != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /**
     * IPv6 text (RFC 4291 section 2.2: up to 8 groups of 1-4 hex digits, at most one {@code ::}, optionally an
     * IPv4 address in the last 32 bits) into {@code out[0, 16)} when out is not null.
     */
    private static boolean parseIpv6(byte[] b, int from, int to, byte @Nullable [] out) {
        int groups = 0;
        int gap = -1; // group index where "::" stands
        int i = from;
        if (to - from >= 2 && b[i] == ':' && b[i + 1] == ':') {
            gap = 0;
            i += 2;
        } else if (i < to && b[i] == ':') {
            return false;
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && hexValue(b[i]) >= 0) {
                value = (value << 4) | hexValue(b[i]);
                i++;
            }
            if (i < to && b[i] == '.') {
                // an IPv4 tail: the last two groups
                if (groups > 6 || !parseIpv4(b, start, to, out, 2 * groups)) {
                    return false;
                }
                groups += 2;
                i = to;
                break;
            }
            if (i == start || groups == 8) {
                return false;
            }
            if (out != null) {
                out[2 * groups] = (byte) (value >>> 8);
                out[2 * groups + 1] = (byte) value;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = groups;
                i++;
            } else if (i == to) {
                return false; // a single ':' at the end
            }
        }
        if (gap < 0) {
            return groups == 8;
        }
        if (groups > 7) {
            return false;
        }
        if (out != null) {
            // move the groups after "::" to the end and zero the ones it stands for
            int tail = groups - gap;
            System.arraycopy(out, 2 * gap, out, 16 - 2 * tail, 2 * tail);
            Arrays.fill(out, 2 * gap, 16 - 2 * tail, (byte) 0);
        }
        return true;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static boolean isZone(byte[] b, int from, int to) {
        if (to <= from || to - from > ZONE_LIMIT) {
            return false;
        }
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c <= ' ' || c >= 0x7f || c == '%' || c == '/') {
                return false;
            }
        }
        return true;
    }
}
