package io.routerlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.routerlog.config.TlsFiles;
import io.routerlog.testing.Certificates;
import io.routerlog.testing.SlowClients;
import io.routerlog.testing.Waiting;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP side against clients that do not play along, as an attacker on the LAN would run them: slow readers of
 * the large {@code /metrics}, headers sent a byte at a time, pipelined requests, more connections than the limit.
 * A well-behaved scraper must keep getting its answers within a couple of seconds meanwhile.
 */
class HttpEndpointsTest {
    /** Series in the test exposition: about 100,000 families of one gauge each, some 9 MB. */
    private static final int SERIES = 100_000;

    @TempDir
    static Path dir;

    private static SSLContext serverTls;
    private static SSLContext clientTls;

    @SuppressWarnings("NullAway.Init") // each test starts one
    private HttpEndpoints http;

    @BeforeAll
    static void certificate() throws Exception {
        Certificates.Issued server = Certificates.in(dir).selfSigned("server", "localhost", "IP:127.0.0.1");
        serverTls = TlsFiles.serverContext(server.cert(), server.key());
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, new TrustManager[] {new TrustAll()}, null);
    }

    /** A big exposition: the streamed families of a store with {@link #SERIES} entries, as far as HTTP can tell. */
    static MetricsExposition bigExposition() {
        return new MetricsExposition(new PrometheusRegistry(), List.of((request, out) -> {
            for (int i = 0; i < SERIES; i++) {
                out.gauge("test_series_" + i, "a series of the test exposition", i);
            }
        }));
    }

    private HttpEndpoints start(boolean https, HttpEndpoints.Limits limits) throws IOException {
        http = HttpEndpoints.start(
                new InetSocketAddress("127.0.0.1", 0),
                bigExposition(),
                () -> true,
                List.of(new HttpEndpoints.Table(
                        "/table.tsv",
                        "text/tab-separated-values; charset=utf-8",
                        router -> "a\tb\n".getBytes(StandardCharsets.UTF_8))),
                https ? serverTls : null,
                null,
                limits);
        return http;
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    private HttpClient client(boolean https) {
        return client(https, Duration.ofSeconds(2));
    }

    /**
     * @param connectTimeout how long connecting may take; for HTTPS that includes the TLS handshake, which waits
     *     while the server is at its connection limit
     */
    private HttpClient client(boolean https, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (https) {
            b.sslContext(clientTls);
        }
        return b.build();
    }

    private static URI uri(boolean https, int port, String path) {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port + path);
    }

    /** GETs {@code path} and returns the time it took in ms; fails unless it answers 200 within {@code limit}. */
    private static long timedGet(HttpClient client, URI uri, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r;
        try {
            r = client.send(
                    HttpRequest.newBuilder(uri).timeout(limit).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AssertionError(uri + " took longer than " + limit, e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).as("%s", uri).isEqualTo(200);
        if (uri.getPath().equals("/metrics")) {
            assertThat(r.body().length).as("whole exposition").isGreaterThan(5_000_000);
        }
        return ms;
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void slowReadersAndSlowHeadersDoNotStallOtherClients(boolean https) throws Exception {
        start(https, HttpEndpoints.Limits.DEFAULT);
        int port = http.port();
        HttpClient client = client(https);
        timedGet(client, uri(https, port, "/metrics"), Duration.ofSeconds(20)); // warm-up
        try (SlowClients attack = new SlowClients(port, https ? clientTls : null)) {
            attack.readers(8, "/metrics").headerDrips(8, 1000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            int rounds = 0;
            while (System.nanoTime() < end) {
                // a scraper's kept-alive connection, and a new connection for each health check
                long metrics = timedGet(client, uri(https, port, "/metrics"), Duration.ofSeconds(5));
                long healthz = timedFreshHealthz(https, port);
                assertThat(healthz)
                        .as("/healthz on a new connection during the attack, ms")
                        .isLessThan(2000);
                assertThat(metrics).as("/metrics (9 MB) during the attack, ms").isLessThan(5000);
                rounds++;
            }
            assertThat(rounds).isGreaterThanOrEqualTo(2);
        }
    }

    /** A health check as a load balancer makes it: a new connection, one request, closed; its time in ms. */
    private static long timedFreshHealthz(boolean https, int port) throws IOException {
        long t0 = System.nanoTime();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        try (Socket s = https ? clientTls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true) : plain) {
            s.setSoTimeout(2000);
            s.getOutputStream()
                    .write("GET /healthz HTTP/1.1\r\nHost: routerlog\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            List<Response> r = Response.readAll(s.getInputStream());
            assertThat(r).extracting(Response::status).containsExactly(200);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("/healthz took longer than 2 s", e);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void pipelinedRequestsOnOneConnectionAreAllAnswered(boolean https) throws Exception {
        start(https, HttpEndpoints.Limits.DEFAULT);
        Socket plain = new Socket("127.0.0.1", http.port());
        try (Socket s =
                https ? clientTls.getSocketFactory().createSocket(plain, "127.0.0.1", http.port(), true) : plain) {
            s.setSoTimeout(10_000);
            String request = "GET %s HTTP/1.1\r\nHost: routerlog\r\n%s\r\n";
            String all = String.format(request, "/healthz", "")
                    + String.format(request, "/table.tsv", "")
                    + String.format(request, "/metrics", "Accept-Encoding: gzip\r\n")
                    + String.format(request, "/healthz", "Connection: close\r\n");
            s.getOutputStream().write(all.getBytes(StandardCharsets.US_ASCII)); // one write: all four at once
            s.getOutputStream().flush();
            List<Response> responses = Response.readAll(s.getInputStream());
            assertThat(responses).extracting(Response::status).containsExactly(200, 200, 200, 200);
            assertThat(new String(responses.get(0).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("ok\n");
            assertThat(new String(responses.get(1).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("a\tb\n");
            assertThat(responses.get(2).headers()).containsIgnoringCase("content-encoding: gzip");
            assertThat(new String(
                            new GZIPInputStream(new ByteArrayInputStream(
                                            responses.get(2).body()))
                                    .readAllBytes(),
                            StandardCharsets.US_ASCII))
                    .contains("test_series_99999 99999\n");
            assertThat(new String(responses.get(3).body(), StandardCharsets.US_ASCII))
                    .isEqualTo("ok\n");
        }
    }

    /**
     * More slow clients than connections allowed: the ones beyond the limit wait in the accept queue, and once the
     * header timeout and the idle timeout (shorter while the limit is reached) have cut the slow ones, a
     * well-behaved client is served again.
     */
    @ParameterizedTest(name = "https={0}")
    @ValueSource(booleans = {false, true})
    void moreConnectionsThanTheLimitWaitUntilTheSlowOnesAreCut(boolean https) throws Exception {
        HttpEndpoints.Limits limits =
                new HttpEndpoints.Limits(6, Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(1));
        start(https, limits);
        int port = http.port();
        try (SlowClients attack = new SlowClients(port, https ? clientTls : null)) {
            attack.readers(3, "/metrics").headerDrips(3, 500); // the limit is taken
            long t0 = System.nanoTime();
            Duration limit = Duration.ofSeconds(15);
            long ms = timedGet(client(https, limit), uri(https, port, "/healthz"), limit);
            assertThat(ms).as("/healthz once the slow ones are cut, ms").isLessThan(8000);
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertThat(waited).as("it waited for a free connection, ms").isGreaterThan(500);
            // every slow one is past its timeout within a few seconds; on a busy machine telling that the server
            // closed a reader that never read takes draining what it had sent, which may take a few attempts
            Waiting.upTo(Duration.ofSeconds(20), Duration.ofMillis(250), () -> attack.closedByServer() >= 6);
            int closed = attack.closedByServer();
            assertThat(closed).as("slow connections the server closed").isEqualTo(6);
        }
    }

    @Test
    void headersSentAByteAtATimeAreCutAtTheHeaderTimeout() throws Exception {
        start(
                false,
                new HttpEndpoints.Limits(32, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5)));
        try (SlowClients attack = new SlowClients(http.port(), null);
                Socket silent = new Socket("127.0.0.1", http.port())) {
            attack.headerDrips(2, 300);
            Thread.sleep(1500);
            assertThat(attack.closedByServer()).as("before the timeout").isZero();
            Waiting.upTo(Duration.ofSeconds(15), Duration.ofMillis(250), () -> attack.closedByServer() >= 2);
            assertThat(attack.closedByServer()).as("after the timeout").isEqualTo(2);
            // a connection that sends nothing at all is cut the same way
            silent.setSoTimeout(5000);
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aMalformedQueryIsABadRequestWithAShortMessage() throws Exception {
        start(false, HttpEndpoints.Limits.DEFAULT);
        try (Socket s = new Socket("127.0.0.1", http.port())) { // no URI class lets this through
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write("GET /metrics?scope=%zz HTTP/1.1\r\nHost: routerlog\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            List<Response> r = Response.readAll(s.getInputStream());
            assertThat(r).extracting(Response::status).containsExactly(400);
            assertThat(new String(r.get(0).body(), StandardCharsets.UTF_8))
                    .isEqualTo("bad query string: a % must be followed by two hexadecimal digits\n");
        }
    }

    @Test
    void gzipAndOpenMetricsWhenAskedAndMethodsOtherThanGetAreRefused() throws Exception {
        start(false, HttpEndpoints.Limits.DEFAULT);
        HttpClient client = client(false);
        URI metrics = uri(false, http.port(), "/metrics");
        HttpResponse<InputStream> zipped = client.send(
                HttpRequest.newBuilder(metrics)
                        .header("Accept-Encoding", "gzip")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] body = new GZIPInputStream(zipped.body()).readAllBytes();
        assertThat(new String(body, StandardCharsets.UTF_8))
                .startsWith("# HELP test_series_0 ")
                .endsWith("test_series_99999 99999\n");
        HttpResponse<String> om = client.send(
                HttpRequest.newBuilder(metrics)
                        .header("Accept", "application/openmetrics-text; version=1.0.0")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(om.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(om.body()).endsWith("# EOF\n");
        HttpResponse<String> post = client.send(
                HttpRequest.newBuilder(metrics)
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(client.send(
                                HttpRequest.newBuilder(uri(false, http.port(), "/nope"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(404);
    }

    /** One HTTP/1.1 response read off a connection: status, header block, body (by length or chunks). */
    record Response(int status, String headers, byte[] body) {
        private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
        private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");
        private static final Pattern CHUNKED = Pattern.compile("(?im)^transfer-encoding:\\s*chunked");

        static List<Response> readAll(InputStream in) throws IOException {
            PushbackInputStream pin = new PushbackInputStream(in, 1);
            List<Response> all = new ArrayList<>();
            while (true) {
                int first = pin.read();
                if (first < 0) {
                    return all;
                }
                pin.unread(first);
                all.add(read(pin));
            }
        }

        private static Response read(InputStream in) throws IOException {
            String head = headerBlock(in);
            Matcher status = STATUS.matcher(head);
            assertThat(status.find()).as(head).isTrue();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Matcher length = LENGTH.matcher(head);
            if (length.find()) {
                body.write(in.readNBytes(Integer.parseInt(length.group(1))));
            } else if (CHUNKED.matcher(head).find()) {
                while (true) {
                    int size = Integer.parseInt(line(in).split(";")[0].strip(), 16);
                    if (size == 0) {
                        line(in);
                        break;
                    }
                    body.write(in.readNBytes(size));
                    line(in);
                }
            }
            return new Response(Integer.parseInt(status.group(1)), head, body.toByteArray());
        }

        private static String headerBlock(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                b.append(l).append('\n');
            }
            return b.toString();
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }
    }

    /** The test's own self-signed certificate is all there is to trust. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
