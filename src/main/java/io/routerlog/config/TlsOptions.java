package io.routerlog.config;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The certificate and key options that the TLS syslog listener and HTTPS share, as picocli fills them. Whether
 * they are needed is for the options that ask for TLS ({@code --syslog-tls-port}, {@code --http-tls}) to say.
 */
public final class TlsOptions {
    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            order = 8,
            description = "PEM certificate (chain) for the TLS syslog listener and --http-tls.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            order = 9,
            description = "PEM private key (unencrypted PKCS#8) of --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "FILE",
            order = 10,
            description = "Accept TLS syslog only from senders with a certificate signed by these CAs (PEM).")
    Path tlsClientCa;

    /**
     * Checks which files go together and builds the settings; the files themselves are read when a TLS server
     * starts.
     *
     * @param syslogTls   a TLS syslog listener is asked for
     * @param httpTls     HTTPS is asked for
     */
    public TlsSettings settings(boolean syslogTls, boolean httpTls) {
        if ((syslogTls || httpTls) && (tlsCert == null || tlsKey == null)) {
            String option = httpTls ? "--http-tls" : "--syslog-tls-port";
            throw SettingException.saying(option, option + " needs --tls-cert and --tls-key");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw SettingException.saying("--tls-cert", "--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && !syslogTls) {
            throw SettingException.saying("--tls-client-ca", "--tls-client-ca needs --syslog-tls-port");
        }
        Optional<TlsSettings.KeyPair> pair =
                tlsCert == null ? Optional.empty() : Optional.of(new TlsSettings.KeyPair(tlsCert, tlsKey));
        return new TlsSettings(pair, Optional.ofNullable(tlsClientCa));
    }
}
