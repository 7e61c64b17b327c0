package io.routerlog.testing;

import java.util.Locale;

/** Query names as a dnstt client builds them, for tests: base32 of ClientID, padding and data, in labels. */
public final class DnsttClientNames {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private DnsttClientNames() {}

    /** An empty poll: ClientID, 0xE0 + 8, eight padding bytes. */
    public static String poll(long clientId, String domain) {
        byte[] p = new byte[8 + 1 + 8];
        putId(p, clientId);
        p[8] = (byte) (0xE0 + 8);
        for (int i = 0; i < 8; i++) {
            p[9 + i] = (byte) (0xA1 + i);
        }
        return name(p, domain);
    }

    /** A data query: ClientID, 0xE0 + 3, three padding bytes, a length byte and the data. */
    public static String data(long clientId, byte[] data, String domain) {
        byte[] p = new byte[8 + 1 + 3 + 1 + data.length];
        putId(p, clientId);
        p[8] = (byte) (0xE0 + 3);
        p[9] = (byte) 0xB1;
        p[10] = (byte) 0xB2;
        p[11] = (byte) 0xB3;
        p[12] = (byte) data.length;
        System.arraycopy(data, 0, p, 13, data.length);
        return name(p, domain);
    }

    /** Size of the query packet for a name (without trailing dot): header, name, type and class, OPT record. */
    public static int queryBytes(String name) {
        return 12 + name.length() + 2 + 4 + 11;
    }

    private static void putId(byte[] p, long id) {
        for (int i = 0; i < 8; i++) {
            p[i] = (byte) (id >>> (56 - 8 * i));
        }
    }

    private static String name(byte[] payload, String domain) {
        String b32 = base32(payload).toLowerCase(Locale.ROOT);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b32.length(); i += 63) {
            s.append(b32, i, Math.min(b32.length(), i + 63)).append('.');
        }
        return s.append(domain).toString();
    }

    /** RFC 4648 base32 without padding. */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
