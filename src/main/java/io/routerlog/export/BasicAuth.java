package io.routerlog.export;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.routerlog.bytes.Bytes;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * HTTP basic authentication against a user and a bcrypt password hash, as Prometheus' own web configuration does
 * it, without telling an attacker more than yes or no:
 * <ul>
 *   <li>Every request that carries credentials costs exactly one bcrypt verification against the configured hash,
 *       whatever it carries: a wrong user name, a malformed header, a password longer than bcrypt's 72 bytes (which
 *       is refused after the same work). So the time an answer takes does not tell whether a user name exists.</li>
 *   <li>User names are compared in constant time (as digests of equal length).</li>
 *   <li>One verification runs at a time, so a flood of guesses takes at most one core, never the receive path's.
 *       A request without credentials is refused at once: it has nothing to verify.</li>
 *   <li>Credentials that passed are remembered, as a keyed hash (HMAC with a key made at start and kept in memory
 *       only), at most {@value #REMEMBERED} of them, so repeated scrapes do not pay bcrypt each time.</li>
 * </ul>
 * Nothing a client sends is logged.
 */
public final class BasicAuth {
    /** The most bytes of a password bcrypt reads. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private static final int REMEMBERED = 64;

    private final byte[] userDigest;
    private final byte[] hash;
    private final Set<String> passed = ConcurrentHashMap.newKeySet();
    private final SecretKeySpec rememberKey;
    private final Semaphore verifying = new Semaphore(1, true);

    public BasicAuth(String user, String bcryptHash) {
        this.userDigest = sha256(user.getBytes(StandardCharsets.UTF_8));
        this.hash = bcryptHash.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** True when the {@code Authorization} header carries the user and a password matching the hash. */
    public boolean allows(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String fingerprint = fingerprint(authorization);
        if (passed.contains(fingerprint)) {
            return true;
        }
        byte[] decoded = decode(authorization.substring(6).strip());
        int colon = Bytes.indexOf(decoded, 0, decoded.length, (byte) ':');
        byte[] user = colon < 0 ? new byte[0] : Arrays.copyOfRange(decoded, 0, colon);
        byte[] password = colon < 0 ? new byte[0] : Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        boolean wellFormed = colon >= 0 && validUtf8(decoded);
        boolean userMatches = MessageDigest.isEqual(sha256(user), userDigest);
        boolean shortEnough = password.length <= MAX_PASSWORD_BYTES;
        boolean passwordMatches = verify(shortEnough ? password : Arrays.copyOf(password, MAX_PASSWORD_BYTES));
        boolean ok = wellFormed && userMatches && shortEnough && passwordMatches;
        Arrays.fill(password, (byte) 0);
        Arrays.fill(decoded, (byte) 0);
        if (ok) {
            if (passed.size() >= REMEMBERED) {
                passed.clear();
            }
            passed.add(fingerprint);
        }
        return ok;
    }

    /** One bcrypt verification against the configured hash, one at a time. */
    private boolean verify(byte[] password) {
        verifying.acquireUninterruptibly();
        try {
            return BCrypt.verifyer().verify(password, hash).verified;
        } finally {
            verifying.release();
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * A bcrypt hash (cost 10) of a password, for {@code --http-password-hash}.
     *
     * @throws IllegalArgumentException when the password is longer than {@link #MAX_PASSWORD_BYTES} in UTF-8
     */
    public static String hash(char[] password) {
        if (utf8Length(password) > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException(
                    "a password for bcrypt has at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        return BCrypt.withDefaults().hashToString(10, password);
    }

    /** The length of {@code password} in UTF-8. */
    @SuppressWarnings("ByteBufferBackingArray") // the encoder's own buffer: all of its array is the password's
    public static int utf8Length(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        int n = b.remaining();
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return n;
    }

    private String fingerprint(String authorization) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            return HexFormat.of().formatHex(mac.doFinal(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
