package io.routerlog.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys from PEM files, for the TLS syslog listener and the HTTPS endpoints. A file that cannot be
 * used is a {@link SettingException} naming its option ({@code --tls-cert}, {@code --tls-key},
 * {@code --tls-client-ca}). The files are read when a TLS server starts ({@link TlsSettings}).
 */
public final class TlsFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    /** The TLS versions routerlog speaks, on the syslog listener and on HTTPS alike. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites routerlog offers, on the syslog listener and on HTTPS alike: forward-secret key exchange
     * and authenticated encryption only. TLS 1.3's suites are all of that kind; of TLS 1.2's, those with ECDHE and
     * AES-GCM or ChaCha20-Poly1305. Static RSA key exchange (no forward secrecy), CBC modes, SHA-1 MACs and finite
     * field Diffie-Hellman are left out: every current client (Prometheus, curl, browsers, rsyslog and syslog-ng
     * with OpenSSL or GnuTLS) speaks at least one of these.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsFiles() {}

    /** The certificates in a PEM file, in order (leaf first for a chain). */
    static List<X509Certificate> certificates(String option, Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(option, file, "CERTIFICATE")) {
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException e) {
            throw new SettingException(option, file + ": not a valid certificate (" + e.getMessage() + ")", e);
        }
        if (certs.isEmpty()) {
            throw new SettingException(option, file + ": no PEM certificate in it");
        }
        return certs;
    }

    /** An unencrypted PKCS#8 private key (RSA, EC or Ed25519) from a PEM file. */
    static PrivateKey privateKey(Path file) {
        List<byte[]> keys = blocks("--tls-key", file, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new SettingException(
                    "--tls-key",
                    file + ": no unencrypted PKCS#8 private key ('BEGIN PRIVATE KEY') "
                            + "in it; convert one with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new SettingException("--tls-key", file + ": the private key is not an RSA, EC or Ed25519 key");
    }

    /**
     * Key managers for a certificate chain ({@code --tls-cert}) and its key ({@code --tls-key}).
     *
     * @throws SettingException naming the option whose file cannot be used
     */
    public static KeyManagerFactory keyManagers(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates("--tls-cert", certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(chain.get(0), key)) {
            throw new SettingException(
                    "--tls-key", keyFile + " is not the private key of the certificate in " + certFile);
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setKeyEntry("routerlog", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            return kmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new SettingException(
                    "--tls-key", certFile + " and " + keyFile + " do not form a key pair: " + e.getMessage(), e);
        }
    }

    /** True when {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "routerlog key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Trust managers that accept certificates signed by the CAs in a PEM file ({@code --tls-client-ca}).
     *
     * @throws SettingException when the file cannot be used
     */
    public static TrustManagerFactory trustManagers(Path caFile) {
        return trustManagers("--tls-client-ca", caFile);
    }

    /**
     * Trust managers that accept certificates signed by the CAs (or self-signed certificates) in a PEM file.
     *
     * @param option the option that named the file, for messages
     * @throws SettingException when the file cannot be used
     */
    public static TrustManagerFactory trustManagers(String option, Path caFile) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : certificates(option, caFile)) {
                ks.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new SettingException(option, caFile + ": cannot use as CA certificates: " + e.getMessage(), e);
        }
    }

    /**
     * A server SSLContext for a certificate chain and its key; whoever serves with it enables only
     * {@link #PROTOCOLS} and {@link #CIPHER_SUITES} (the context itself allows the JDK's defaults).
     */
    public static SSLContext serverContext(Path certFile, Path keyFile) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(certFile, keyFile).getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    private static List<byte[]> blocks(String option, Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (CharacterCodingException e) {
            throw new SettingException(option, file + " is not a PEM file (it is not text)");
        } catch (IOException e) {
            throw new SettingException(option, FileReasons.cannotRead(file, e), e);
        }
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    out.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new SettingException(option, file + ": damaged PEM block (" + e.getMessage() + ")");
                }
            }
        }
        return out;
    }
}
