package io.routerlog.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Test keys and certificates, made with openssl in a directory: self-signed ones, a CA, and certificates that CA
 * signed. Each is valid for two days and written as {@code name.pem} (the certificate) and {@code name.key} (its
 * key, unencrypted PKCS#8 PEM, as routerlog requires). A failing openssl fails the test with its output.
 */
public final class Certificates {
    /** Plenty for a test run, short enough that a leaked fixture is worth nothing. */
    private static final String DAYS = "2";

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** The kind of key to make. */
    public enum Key {
        RSA_2048,
        EC_P256;

        /** How {@code openssl req} makes one. */
        private List<String> options() {
            return switch (this) {
                case RSA_2048 -> List.of("-newkey", "rsa:2048");
                case EC_P256 -> List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
            };
        }
    }

    /** A certificate and its key. */
    public record Issued(Path cert, Path key) {}

    private final Path dir;
    private final Key key;
    private String openssl = "openssl";

    private Certificates(Path dir, Key key) {
        this.dir = dir;
        this.key = key;
    }

    /** Writes RSA 2048 keys and their certificates into {@code dir}. */
    public static Certificates in(Path dir) {
        return in(dir, Key.RSA_2048);
    }

    /** Writes {@code key} keys and their certificates into {@code dir}. */
    public static Certificates in(Path dir, Key key) {
        return new Certificates(dir, key);
    }

    /** Runs this openssl executable rather than the one on PATH. */
    public Certificates openssl(String executable) {
        this.openssl = executable;
        return this;
    }

    /** A self-signed certificate for {@code /CN=commonName}, with no subjectAltName. */
    public Issued selfSigned(String name, String commonName) throws IOException {
        return req(name, commonName, null, List.of("-x509", "-days", DAYS));
    }

    /** A self-signed certificate for {@code /CN=commonName} and {@code subjectAltName} (e.g. {@code IP:127.0.0.1}). */
    public Issued selfSigned(String name, String commonName, String subjectAltName) throws IOException {
        return req(
                name, commonName, null, List.of("-x509", "-days", DAYS, "-addext", "subjectAltName=" + subjectAltName));
    }

    /** A CA for signing with {@link #signed}: a self-signed certificate for {@code /CN=commonName}. */
    public Issued ca(String name, String commonName) throws IOException {
        return selfSigned(name, commonName);
    }

    /** A certificate for {@code /CN=commonName} and {@code subjectAltName}, signed by {@code ca}. */
    public Issued signed(String name, String commonName, String subjectAltName, Issued ca) throws IOException {
        Path csr = dir.resolve(name + ".csr");
        Issued issued = req(name, commonName, csr, List.of());
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "subjectAltName=" + subjectAltName + "\n");
        run(List.of(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                ca.cert().toString(),
                "-CAkey",
                ca.key().toString(),
                "-CAcreateserial",
                "-out",
                issued.cert().toString(),
                "-days",
                DAYS,
                "-extfile",
                ext.toString()));
        return issued;
    }

    /**
     * A new key and {@code openssl req} with {@code options}, its output written to {@code csr}, or to the
     * certificate's file when that is null ({@code -x509}, a self-signed certificate).
     */
    private Issued req(String name, String commonName, @Nullable Path csr, List<String> options) throws IOException {
        Issued issued = new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        Path out = csr != null ? csr : issued.cert();
        List<String> args = new ArrayList<>(List.of("req"));
        args.addAll(key.options());
        args.addAll(List.of("-nodes", "-keyout", issued.key().toString(), "-out", out.toString()));
        args.addAll(List.of("-subj", "/CN=" + commonName));
        args.addAll(options);
        run(args);
        String pem = Files.readString(issued.key(), StandardCharsets.US_ASCII);
        if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new IOException(issued.key() + " is not an unencrypted PKCS#8 PEM key:\n"
                    + pem.lines().findFirst().orElse(""));
        }
        return issued;
    }

    private void run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(openssl));
        cmd.addAll(args);
        Command.of(cmd).in(dir).mergeStderr().deadline(DEADLINE).runOrThrow();
    }
}
