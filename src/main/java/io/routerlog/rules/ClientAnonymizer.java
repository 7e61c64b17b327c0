package io.routerlog.rules;

import io.routerlog.bytes.IpText;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * How addresses of devices are stored ({@code --anonymize-clients}): {@code none} as they are, {@code truncate}
 * as their network (IPv4 /24, IPv6 /48: {@code 192.168.1.0}, {@code 2001:db8:1234::}), {@code hash} as a keyed
 * hash ({@code anon-} and 16 hex digits of HMAC-SHA256 with {@code --anonymize-key}), the same for the same address.
 * Addresses arrive in their canonical form ({@link IpText}), so every spelling of one address gets one pseudonym.
 *
 * <p>Not thread-safe (the MAC is reused): each receive thread has its own {@link #copy}.
 */
public final class ClientAnonymizer {
    /** How client addresses are stored. */
    public enum Mode {
        NONE,
        TRUNCATE,
        HASH
    }

    private static final String UNKNOWN = "unknown";

    private final Mode mode;
    /** The key of {@link Mode#HASH}; empty when there is none. */
    private final byte[] key;
    /** Made on the first address hashed. */
    private @Nullable Mac mac;

    /** @param key the key of {@link Mode#HASH}, or null when there is none */
    public ClientAnonymizer(Mode mode, byte @Nullable [] key) {
        this.mode = mode;
        this.key = key == null ? new byte[0] : key.clone();
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

    /**
     * The stored form of an address in canonical form, or of any other text that stands for a device (a HAProxy
     * client that is a socket name, say): truncating keeps nothing of such text ({@code unknown}), hashing hashes it.
     */
    public String anonymize(String canonical) {
        return switch (mode) {
            case NONE -> canonical;
            case TRUNCATE -> truncate(canonical);
            case HASH -> "anon-" + HexFormat.of().formatHex(hmac(canonical), 0, 8);
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

    /** The network of an address: IPv4 /24, IPv6 /48 (without zone); {@code unknown} for anything else. */
    static String truncate(String client) {
        byte[] text = client.getBytes(StandardCharsets.ISO_8859_1);
        byte[] address = new byte[16];
        int n = IpText.parse(text, 0, text.length, address);
        if (n < 0) {
            return UNKNOWN;
        }
        if (n == 16 && IpText.isMappedIpv4(address)) {
            System.arraycopy(address, 12, address, 0, 4);
            n = 4;
        }
        Arrays.fill(address, n == 4 ? 3 : 6, n, (byte) 0);
        byte[] out = new byte[IpText.MAX_TEXT];
        return new String(out, 0, IpText.format(address, n, out, 0), StandardCharsets.ISO_8859_1);
    }
}
