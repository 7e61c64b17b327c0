package io.routerlog;

import static io.routerlog.testing.Senders.octet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routerlog.config.TlsFiles;
import io.routerlog.export.BasicAuth;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.Transport;
import io.routerlog.testing.Certificates;
import io.routerlog.testing.Command;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over TLS (RFC 5425) with client certificates, and HTTPS with basic authentication. */
@ExtendWith(NettyLeakCheck.class)
class TlsTest {
    @TempDir
    Path dir;

    /** A test CA ({@code ca.pem}), certificates it signed for the server and a router, and a self-signed one. */
    @BeforeEach
    void pki() throws Exception {
        Certificates pki = Certificates.in(dir);
        Certificates.Issued ca = pki.ca("ca", "routerlog test CA");
        pki.signed("server", "server", "IP:127.0.0.1,DNS:localhost", ca);
        pki.signed("router", "router", "DNS:router.lan", ca);
        pki.selfSigned("stranger", "stranger");
    }

    /** @param name the client certificate to present, or null for none */
    private SSLContext client(@Nullable String name) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(
                name == null
                        ? null
                        : TlsFiles.keyManagers(dir.resolve(name + ".pem"), dir.resolve(name + ".key"))
                                .getKeyManagers(),
                TlsFiles.trustManagers(dir.resolve("ca.pem")).getTrustManagers(),
                null);
        return ctx;
    }

    private static void sendTls(SSLContext ctx, int port, String text) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    @Test
    void syslogOverTlsFromARouterWithACertificateAndHttpsWithBasicAuth() throws Exception {
        String hash = BasicAuth.hash("s3cret pass".toCharArray());
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--syslog-tls-port",
                "0",
                "--tls-cert",
                dir.resolve("server.pem").toString(),
                "--tls-key",
                dir.resolve("server.key").toString(),
                "--tls-client-ca",
                dir.resolve("ca.pem").toString(),
                "--http-tls",
                "--http-user",
                "prometheus",
                "--http-password-hash",
                hash))) {
            assertThat(node.syslogTlsPort()).isPositive();
            sendTls(
                    client("router"),
                    node.syslogTlsPort(),
                    octet("<30>1 2026-11-22T01:59:45Z OpenWrt dnsmasq 1 - - query[A] tls.example from 192.168.1.5")
                            + octet(
                                    "<30>1 2026-11-22T01:59:45Z OpenWrt dnsmasq 1 - - query[A] tls.example from 192.168.1.5"));
            // no client certificate, or one the CA did not sign: the handshake fails on the server, nothing counts
            // (with TLS 1.3 the client may only notice later, if at all)
            for (String stranger : new String[] {null, "stranger"}) {
                try {
                    sendTls(
                            client(stranger),
                            node.syslogTlsPort(),
                            octet("<30>1 - - dnsmasq - - - query[A] not.counted from 10.0.0.1"));
                } catch (IOException refused) {
                    // the server said no during the handshake
                }
            }
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> node.counters().messageCount(Transport.TLS) >= 2
                            && node.counters().dropCount(DropReason.TLS_HANDSHAKE_FAILED) >= 2);
            assertThat(node.counters().dropCount(DropReason.TLS_HANDSHAKE_FAILED))
                    .isEqualTo(2);
            node.flush();

            HttpClient https = HttpClient.newBuilder().sslContext(client(null)).build();
            URI metrics = URI.create("https://127.0.0.1:" + node.httpPort() + "/metrics");
            assertThat(https.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            String wrong =
                    "Basic " + Base64.getEncoder().encodeToString("prometheus:guess".getBytes(StandardCharsets.UTF_8));
            assertThat(https.send(
                                    HttpRequest.newBuilder(metrics)
                                            .header("Authorization", wrong)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
            String right = "Basic "
                    + Base64.getEncoder().encodeToString("prometheus:s3cret pass".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> ok = https.send(
                    HttpRequest.newBuilder(metrics)
                            .header("Authorization", right)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            Exposition m = Exposition.parse(ok.body());
            assertThat(m.value("routerlog_syslog_messages_total", "transport", "tls"))
                    .isEqualTo(2.0);
            assertThat(m.queryCounts()).containsExactly(Map.entry("192.168.1.5 tls.example A", 2L));
            assertThat(https.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("https://127.0.0.1:" + node.httpPort() + "/healthz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("health checks need no password")
                    .isEqualTo(200);
            assertThat(https.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("https://127.0.0.1:" + node.httpPort() + "/clients.csv"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    /** Runs {@code openssl s_client} against {@code port}; true when the handshake succeeded. */
    private boolean handshakes(int port, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief"));
        cmd.addAll(List.of(options));
        Command.Result r =
                Command.of(cmd).mergeStderr().deadline(Duration.ofSeconds(30)).run();
        assertThat(r.finished()).isTrue();
        String out = r.out();
        boolean ok = r.exitCode() == 0 && out.contains("CONNECTION ESTABLISHED");
        if (ok) {
            assertThat(out).as(out).containsPattern("Protocol version: TLSv1\\.[23]");
        }
        return ok;
    }

    @Test
    void onlyForwardSecretAeadSuitesAreOfferedOnHttpsAndSyslog() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--syslog-tls-port",
                "0",
                "--tls-cert",
                dir.resolve("server.pem").toString(),
                "--tls-key",
                dir.resolve("server.key").toString(),
                "--http-tls"))) {
            for (int port : new int[] {node.httpPort(), node.syslogTlsPort()}) {
                // static RSA key exchange (no forward secrecy), with CBC or GCM; ECDHE with CBC; TLS 1.1
                for (String weak : new String[] {
                    "AES128-SHA",
                    "AES256-SHA256",
                    "AES128-GCM-SHA256",
                    "AES256-GCM-SHA384",
                    "ECDHE-RSA-AES128-SHA",
                    "ECDHE-RSA-AES256-SHA384"
                }) {
                    assertThat(handshakes(port, "-tls1_2", "-cipher", weak))
                            .as("%s on port %d", weak, port)
                            .isFalse();
                }
                assertThat(handshakes(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"))
                        .as("TLS 1.1")
                        .isFalse();
                for (String modern : new String[] {
                    "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"
                }) {
                    assertThat(handshakes(port, "-tls1_2", "-cipher", modern))
                            .as("%s on port %d", modern, port)
                            .isTrue();
                }
                assertThat(handshakes(port, "-tls1_3"))
                        .as("TLS 1.3 on port %d", port)
                        .isTrue();
            }
            // and a JSSE client that offers only what the JDK would have accepted before: refused
            SSLContext ctx = client(null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", node.httpPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});
                assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
            }
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", node.httpPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
                s.startHandshake();
                assertThat(s.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            }
        }
    }

    @Test
    void badTlsSettingsAreStartUpErrors() throws Exception {
        Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertThatThrownBy(() -> Main.parse(new String[] {"--syslog-tls-port", "6514"}, Map.of()))
                .hasMessageContaining("needs --tls-cert and --tls-key");
        // the files are read when the listener starts
        assertThatThrownBy(() -> RouterLog.start(RouterLogTest.settings(
                                "--syslog-tls-port",
                                "0",
                                "--tls-cert",
                                dir.resolve("garbage.pem").toString(),
                                "--tls-key",
                                dir.resolve("server.key").toString()))
                        .close())
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> RouterLog.start(RouterLogTest.settings(
                                "--syslog-tls-port",
                                "0",
                                "--tls-cert",
                                dir.resolve("server.pem").toString(),
                                "--tls-key",
                                dir.resolve("router.key").toString()))
                        .close())
                .hasMessageContaining("--tls-key: ")
                .hasMessageContaining("is not the private key");
        assertThatThrownBy(
                        () -> Main.parse(new String[] {"--http-user", "p", "--http-password-hash", "plain"}, Map.of()))
                .hasMessageContaining("not a bcrypt hash");
    }
}
