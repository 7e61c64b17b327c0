package io.routerlog.aggregate;

import io.routerlog.text.Bytes;
import io.routerlog.text.BytesTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces client addresses before anything is stored ({@code --anonymize-clients}): {@code truncate} keeps the
 * network (IPv4 /24, IPv6 /48: {@code 192.168.1.0}, {@code 2001:db8:1234::}), {@code hash} a keyed hash
 * ({@code anon-} and 16 hex digits of HMAC-SHA256 with {@code --anonymize-key}), the same for the same address.
 *
 * <p>One instance per receive thread (not thread-safe); results are cached, so a known client costs a lookup.
 */
public final class ClientAnonymizer {
    /** How client addresses are stored. */
    public enum Mode { NONE, TRUNCATE, HASH }

    private static final int CACHE_LIMIT = 65_536;
    private static final byte[] UNKNOWN = "unknown".getBytes(StandardCharsets.US_ASCII);

    private final Mode mode;
    private final byte[] key;
    private final BytesTable cache = new BytesTable(256);
    private byte[][] results = new byte[256][];
    private Mac mac;

    public ClientAnonymizer(Mode mode, byte[] key) {
        this.mode = mode;
        this.key = key == null ? null : key.clone();
        if (mode == Mode.HASH && (key == null || key.length == 0)) {
            throw new IllegalArgumentException("hashing client addresses needs a key");
        }
    }

    public static ClientAnonymizer none() {
        return new ClientAnonymizer(Mode.NONE, null);
    }

    /** A new instance with the same mode and key, for another thread. */
    public ClientAnonymizer copy() {
        return new ClientAnonymizer(mode, key);
    }

    public boolean active() {
        return mode != Mode.NONE;
    }

    /** The stored form of the client {@code b[off, off+len)}; the array belongs to this instance. */
    public byte[] apply(byte[] b, int off, int len) {
        int h = Bytes.hash(Bytes.HASH_SEED, b, off, len);
        int e = cache.find(b, off, len, h);
        if (e >= 0) {
            return results[e];
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
            Arrays.fill(results, null);
        }
        byte[] anonymized = anonymize(Bytes.decode(b, off, len)).getBytes(StandardCharsets.UTF_8);
        e = cache.findOrAdd(b, off, len, h);
        if (e >= results.length) {
            results = Arrays.copyOf(results, Math.max(results.length * 2, e + 1));
        }
        results[e] = anonymized;
        return anonymized;
    }

    /** The stored form of a client address. */
    public String anonymize(String client) {
        return switch (mode) {
            case NONE -> client;
            case TRUNCATE -> truncate(client);
            case HASH -> "anon-" + HexFormat.of().formatHex(hmac(client), 0, 8);
        };
    }

    private byte[] hmac(String client) {
        try {
            if (mac == null) {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            }
            return mac.doFinal(client.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static String truncate(String client) {
        int zone = client.indexOf('%');
        String a = zone >= 0 ? client.substring(0, zone) : client;
        if (a.indexOf(':') < 0) {
            int dot = a.lastIndexOf('.');
            return a.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? a.substring(0, dot) + ".0" : new String(UNKNOWN,
                    StandardCharsets.US_ASCII);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(a).getAddress(); // a literal with ':' is never looked up
        } catch (UnknownHostException e) {
            return new String(UNKNOWN, StandardCharsets.US_ASCII);
        }
        if (bytes.length == 4) {
            return truncate(formatV4(bytes)); // an IPv4-mapped IPv6 address
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 6; i += 2) {
            s.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return s.append(':').toString();
    }

    private static String formatV4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
}
