package io.routerlog.config;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The TLS files of a node, checked for which go together but not read: the server contexts are built from them
 * (and a file that cannot be used is a {@link SettingException} naming its option) when a TLS server starts.
 *
 * @param keyPair  the certificate chain and its private key, when TLS is used at all
 * @param clientCa the CAs whose client certificates the TLS syslog listener requires, when it requires any
 */
public record TlsSettings(Optional<KeyPair> keyPair, Optional<Path> clientCa) {

    /** {@code --tls-cert} and {@code --tls-key}. */
    public record KeyPair(Path cert, Path key) {}

    private KeyPair required() {
        return keyPair.orElseThrow(() -> new IllegalStateException("no --tls-cert and --tls-key"));
    }

    /**
     * The Netty server context of the TLS syslog listener: {@link TlsFiles#PROTOCOLS} and
     * {@link TlsFiles#CIPHER_SUITES}, and client certificates required when {@link #clientCa} is given.
     *
     * @throws SettingException naming the option whose file cannot be used
     */
    public SslContext syslogContext() {
        KeyPair pair = required();
        SslContextBuilder b = SslContextBuilder.forServer(TlsFiles.keyManagers(pair.cert(), pair.key()))
                .sslProvider(SslProvider.JDK)
                .protocols(TlsFiles.PROTOCOLS)
                .ciphers(TlsFiles.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
        clientCa.ifPresent(ca -> b.trustManager(TlsFiles.trustManagers(ca)).clientAuth(ClientAuth.REQUIRE));
        try {
            return b.build();
        } catch (SSLException e) {
            throw new SettingException(
                    "--tls-cert",
                    pair.cert() + ": cannot serve TLS with it and " + pair.key() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The SSLContext of HTTPS; whoever serves with it enables only {@link TlsFiles#PROTOCOLS} and
     * {@link TlsFiles#CIPHER_SUITES} (the context itself allows the JDK's defaults).
     *
     * @throws SettingException naming the option whose file cannot be used
     */
    public SSLContext httpContext() {
        KeyPair pair = required();
        return TlsFiles.serverContext(pair.cert(), pair.key());
    }
}
