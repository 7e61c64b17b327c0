package io.routerlog.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Basic authentication as an unauthenticated client on the LAN sees it: the answer (401 or 200) and how long it
 * takes must not depend on whether the user name exists, no credentials may make the server fail or log an error,
 * and passwords bcrypt cannot take are refused like any wrong one.
 */
class BasicAuthTest {
    private static final String PASSWORD = "s3cret pass";
    private static final String HASH = BasicAuth.hash(PASSWORD.toCharArray());
    private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
    private static AbstractAppender capture;
    private static HttpEndpoints http;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        capture = new AbstractAppender("errors", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
                    ERRORS.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.getConfiguration().getLoggerConfig("io.routerlog").addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();
        http = HttpEndpoints.start(
                new InetSocketAddress("127.0.0.1", 0),
                new MetricsExposition(new PrometheusRegistry(), List.of()),
                () -> true,
                List.of(),
                null,
                new BasicAuth("prometheus", HASH),
                HttpEndpoints.Limits.DEFAULT);
    }

    @AfterAll
    static void stop() {
        http.close();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("errors");
        ctx.getConfiguration().getLoggerConfig("io.routerlog").removeAppender("errors");
        ctx.updateLoggers();
        capture.stop();
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path, @Nullable String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Time of a request in ns, checking that it was refused. */
    private static long refusedIn(@Nullable String authorization) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/metrics", authorization);
        long ns = System.nanoTime() - t0;
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"routerlog\", charset=\"UTF-8\"");
        return ns;
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    @Test
    void aWrongUserTakesAsLongAsAWrongPasswordForTheRightUser() throws Exception {
        String wrongUser = basic("nobody:" + PASSWORD);
        String wrongPassword = basic("prometheus:guess");
        refusedIn(wrongUser); // warm-up
        refusedIn(wrongPassword);
        List<Long> user = new ArrayList<>();
        List<Long> password = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // interleaved, so that a change of load affects both alike
            user.add(refusedIn(wrongUser));
            password.add(refusedIn(wrongPassword));
        }
        double ratio = (double) median(user) / median(password);
        assertThat(ratio)
                .as(
                        "median time of a wrong user / of a wrong password (%d / %d us)",
                        median(user) / 1000, median(password) / 1000)
                .isBetween(0.5, 2.0);
        assertThat(ERRORS).isEmpty();
    }

    @Test
    void passwordsLongerThanBcryptTakesAreRefusedWithoutAnError() throws Exception {
        String longer = PASSWORD + "x".repeat(100);
        refusedIn(basic("prometheus:" + longer));
        refusedIn(basic("nobody:" + longer));
        // the first 72 bytes right are not enough either
        refusedIn(basic("prometheus:" + PASSWORD + "y".repeat(72 - PASSWORD.length()) + "z"));
        assertThat(ERRORS).isEmpty();
    }

    @Test
    void malformedCredentialsAreRefusedWithoutAnError() throws Exception {
        refusedIn(null);
        refusedIn("Basic");
        refusedIn("Basic !!!not-base64!!!");
        refusedIn(basic("no colon at all"));
        refusedIn("Basic " + Base64.getEncoder().encodeToString(new byte[] {'p', ':', (byte) 0xff, (byte) 0xfe}));
        refusedIn("Bearer " + PASSWORD);
        assertThat(ERRORS).isEmpty();
    }

    @Test
    void theRightCredentialsPassAndHealthChecksNeedNone() throws Exception {
        assertThat(get("/metrics", basic("prometheus:" + PASSWORD)).statusCode())
                .isEqualTo(200);
        assertThat(get("/metrics", basic("prometheus:" + PASSWORD)).statusCode())
                .as("remembered")
                .isEqualTo(200);
        assertThat(get("/", basic("prometheus:" + PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(get("/", null).statusCode()).isEqualTo(401);
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get("/nope", null).statusCode())
                .as("no route is revealed without credentials")
                .isEqualTo(401);
    }

    @Test
    void hashRefusesPasswordsLongerThan72Bytes() {
        assertThat(BasicAuth.hash("é".repeat(36).toCharArray())).startsWith("$2a$10$"); // 72 bytes in UTF-8
        assertThatThrownBy(() -> BasicAuth.hash("é".repeat(36).concat("x").toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("72 bytes");
    }
}
