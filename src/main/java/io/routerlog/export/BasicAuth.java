package io.routerlog.export;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP basic authentication against a user and a bcrypt password hash, as Prometheus' own web configuration does
 * it. A credential that passed is remembered (by its SHA-256), so repeated scrapes do not pay bcrypt each time.
 */
public final class BasicAuth {
    private static final int REMEMBERED = 64;

    private final String user;
    private final byte[] hash;
    private final Set<String> passed = ConcurrentHashMap.newKeySet();

    public BasicAuth(String user, String bcryptHash) {
        this.user = user;
        this.hash = bcryptHash.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the {@code Authorization} header carries the user and a password matching the hash. */
    public boolean allows(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String fingerprint = sha256(authorization);
        if (passed.contains(fingerprint)) {
            return true;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !MessageDigest.isEqual(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
                user.getBytes(StandardCharsets.UTF_8))) {
            return false;
        }
        boolean ok = BCrypt.verifyer().verify(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), hash)
                .verified;
        if (ok) {
            if (passed.size() >= REMEMBERED) {
                passed.clear();
            }
            passed.add(fingerprint);
        }
        return ok;
    }

    /** A bcrypt hash (cost 10) of a password, for {@code --http-password-hash}. */
    public static String hash(char[] password) {
        return BCrypt.withDefaults().hashToString(10, password);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
