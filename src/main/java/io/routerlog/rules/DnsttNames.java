package io.routerlog.rules;

/**
 * Reads the session (ClientID) out of a DNSTT query name. A dnstt client sends {@code BASE32(payload)} split into
 * labels, followed by the tunnel domain; the server joins the labels, decodes them (RFC 4648 alphabet, no padding,
 * any case) and takes the first 8 bytes as the ClientID. Fewer than 8 decoded bytes, a character outside the
 * alphabet or a length that unpadded base32 text cannot have makes the name invalid.
 */
public final class DnsttNames {
    /** Base32 characters that carry the 64 bits of a ClientID. */
    private static final int CLIENT_ID_CHARS = 13;
    /** Unpadded base32 can end with 0, 2, 4, 5 or 7 characters after the last full group of 8; not 1, 3 or 6. */
    private static final boolean[] VALID_TAIL = {true, false, true, false, true, true, false, true};

    private DnsttNames() {}

    /**
     * True when the labels in {@code b[off, off+len)} (the name without the tunnel domain and the dot before it)
     * decode to at least the 8 bytes of a ClientID.
     */
    public static boolean hasClientId(byte[] b, int off, int len) {
        int chars = 0;
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if (c == '.') {
                continue;
            }
            if (value(c) < 0) {
                return false;
            }
            chars++;
        }
        return chars >= CLIENT_ID_CHARS && VALID_TAIL[chars % 8];
    }

    /** The ClientID of a name that {@link #hasClientId has one}: its 8 bytes, big-endian. */
    public static long clientId(byte[] b, int off, int len) {
        long id = 0;
        int bits = 0;
        for (int i = off, end = off + len; i < end && bits < 64; i++) {
            byte c = b[i];
            if (c == '.') {
                continue;
            }
            int take = Math.min(5, 64 - bits);
            id = (id << take) | (value(c) >>> (5 - take));
            bits += take;
        }
        return id;
    }

    /** The ClientID as 16 lower-case hex digits. */
    public static String hex(long id) {
        String h = Long.toHexString(id);
        return "0".repeat(16 - h.length()) + h;
    }

    /** Wire length of a presentation-form name without trailing dot: one length byte per label, and the root. */
    public static int wireLength(int nameLength) {
        return nameLength + 2;
    }

    private static int value(byte c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= '2' && c <= '7') {
            return 26 + c - '2';
        }
        return -1;
    }
}
