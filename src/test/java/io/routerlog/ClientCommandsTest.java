package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerlog.config.TlsFiles;
import io.routerlog.testing.ApiServer;
import io.routerlog.testing.ApiServer.Reply;
import io.routerlog.testing.Certificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routerlog top} and {@code routerlog queries} end to end against a stand-in for the node's API on
 * 127.0.0.1: the exact requests they send, what they print, and what they say when the node is not there.
 */
class ClientCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ApiServer api = ApiServer.start();

    @AfterEach
    void stop() {
        api.close();
    }

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void topDomainsSendsItsFiltersEncodedAndPrintsATableThatFits() {
        api.answer(r -> Reply.ok(ApiServer.recorded("top-domains")));
        Result r = run(
                Map.of("COLUMNS", "50"),
                "top",
                "domains",
                "--url",
                api.url() + "/",
                "--client",
                "192.168.1.7",
                "--router",
                "r 1/ü&x",
                "--outcome",
                "nxdomain",
                "--limit",
                "5");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        ApiServer.Request request = api.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/v1/top/domains");
        assertThat(request.rawQuery())
                .isEqualTo("limit=5&client=192.168.1.7&router=r%201%2F%C3%BC%26x&outcome=nxdomain");
        assertThat(request.authorization()).isNull();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("QUERIES  CLIENTS  DOMAIN");
        assertThat(lines.get(1)).isEqualTo("   1234       17  github.com");
        assertThat(lines.get(2))
                .hasSize(50)
                .startsWith("     56        3  a-very-long")
                .endsWith("cdn.example.com");
        assertThat(lines.get(3)).isEqualTo("      7        1  example.org");
    }

    @Test
    void withoutFiltersOnlyTheLimitIsSentAndJsonIsPrintedAsItCame() {
        String body = ApiServer.recorded("top-domains").strip();
        api.answer(r -> Reply.ok(body));
        Result r = run(Map.of(), "top", "domains", "--url", api.url(), "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(body + System.lineSeparator());
        assertThat(api.requests().get(0).rawQuery()).isEqualTo("limit=20");

        // like the node's options, the client's come from the environment too, without a warning
        Result fromEnv = run(Map.of("ROUTERLOG_URL", api.url(), "ROUTERLOG_JSON", "true"), "top", "domains");
        assertThat(fromEnv.code()).isZero();
        assertThat(fromEnv.err()).isEmpty();
        assertThat(fromEnv.out()).isEqualTo(body + System.lineSeparator());
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void topClientsLogsInWithThePasswordFromTheEnvironmentOrAFile() throws IOException {
        api.answer(r -> Reply.ok(ApiServer.recorded("top-clients")));
        Result fromEnv = run(
                Map.of("ROUTERLOG_PASSWORD", "pä ss:word", "COLUMNS", "100"),
                "top",
                "clients",
                "--url",
                api.url(),
                "--user",
                "admin",
                "--domain",
                "github.com",
                "--limit",
                "3");
        assertThat(fromEnv.code()).isZero();
        // a password in the environment is the client's, not an unknown node setting
        assertThat(fromEnv.err()).isEmpty();
        ApiServer.Request request = api.requests().get(0);
        assertThat(request.path()).isEqualTo("/api/v1/top/clients");
        assertThat(request.rawQuery()).isEqualTo("limit=3&domain=github.com");
        assertThat(request.authorization())
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("admin:pä ss:word".getBytes(StandardCharsets.UTF_8)));
        assertThat(fromEnv.lines())
                .containsExactly(
                        "QUERIES  DOMAINS  ROUTER  CLIENT        MAC                HOSTNAME",
                        "   1234       40  r1      192.168.1.7   aa:bb:cc:dd:ee:ff  laptop",
                        "     99        5  r2      2001:db8::42",
                        "      3        1  r1      192.168.1.9");

        Path file = Files.writeString(dir.resolve("password"), "from file\nsecond line\n");
        Result fromFile = run(
                Map.of("ROUTERLOG_PASSWORD", "not this"),
                "top",
                "clients",
                "--url",
                api.url(),
                "--user",
                "admin",
                "--password-file",
                file.toString());
        assertThat(fromFile.code()).isZero();
        assertThat(api.requests().get(1).authorization())
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("admin:from file".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void macAndHostnameColumnsOnlyWhenSomeClientHasThem() {
        api.answer(r -> Reply.ok(ApiServer.recorded("top-clients-no-dhcp")));
        Result r = run(Map.of(), "top", "clients", "--url", api.url());
        assertThat(r.lines())
                .containsExactly(
                        "QUERIES  DOMAINS  ROUTER  CLIENT",
                        "     12        4  r1      192.168.1.7",
                        "      2        1  r1      192.168.1.8");
    }

    @Test
    void queriesPrintsTheLatestOldestFirstInLocalTime() {
        api.answer(r -> Reply.ok(ApiServer.recorded("queries")));
        Result r = run(
                Map.of(),
                "queries",
                "--url",
                api.url(),
                "--client",
                "192.168.1.7",
                "--domain",
                "git hub",
                "--qtype",
                "AAAA",
                "--router",
                "r1",
                "--limit",
                "3");
        assertThat(r.code()).isZero();
        assertThat(api.requests().get(0).path()).isEqualTo("/api/v1/queries");
        assertThat(api.requests().get(0).rawQuery())
                .isEqualTo("limit=3&client=192.168.1.7&domain=git%20hub&qtype=AAAA&router=r1");
        List<String> lines = r.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("TIME +ROUTER +CLIENT +TYPE +DOMAIN");
        assertThat(lines.get(1)).endsWith("r2      192.168.1.9  A     example.org");
        assertThat(lines.get(2)).endsWith("r1      192.168.1.7  A     github.com");
        assertThat(lines.get(3)).endsWith("r1      192.168.1.7  AAAA  github.com");
        // 10:00:00.123Z in this machine's zone, with the date since it is not today
        assertThat(lines.get(1))
                .startsWith(java.time.ZonedDateTime.ofInstant(
                                Instant.parse("2026-12-02T10:00:00.123Z"), java.time.ZoneId.systemDefault())
                        .format(java.time.format.DateTimeFormatter.ofPattern(
                                java.time.LocalDate.now(java.time.ZoneId.systemDefault())
                                                .equals(java.time.LocalDate.of(2026, 12, 2))
                                        ? "HH:mm:ss"
                                        : "yyyy-MM-dd HH:mm:ss")));
    }

    @Test
    void errorsAreOneLineWithExitCode1() {
        api.answer(r -> switch (r.path()) {
            case "/api/v1/top/domains" -> new Reply(400, "{\"error\":\"limit must be between 1 and 1000\"}");
            case "/api/v1/top/clients" -> new Reply(401, "");
            case "/api/v1/queries" ->
                r.param("client") == null
                        ? new Reply(404, "<html>Not Found</html>")
                        : new Reply(404, "{\"error\":\"no client 10.9.9.9\"}");
            default -> slowly();
        });
        Result bad = run(Map.of(), "top", "domains", "--url", api.url(), "--limit", "5000");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("routerlog: limit must be between 1 and 1000" + System.lineSeparator());
        assertThat(bad.out()).isEmpty();

        Result noUser = run(Map.of(), "top", "clients", "--url", api.url());
        assertThat(noUser.code()).isEqualTo(1);
        assertThat(noUser.err()).startsWith("routerlog: authentication failed");
        Result wrong = run(Map.of("ROUTERLOG_PASSWORD", "nope"), "top", "clients", "--url", api.url(), "--user", "a");
        assertThat(wrong.err()).isEqualTo("routerlog: authentication failed" + System.lineSeparator());

        Result oldNode = run(Map.of(), "queries", "--url", api.url());
        assertThat(oldNode.code()).isEqualTo(1);
        assertThat(oldNode.err())
                .isEqualTo("routerlog: " + api.url() + " has no /api/v1/queries (is the node older than this "
                        + "command?)" + System.lineSeparator());

        Result unknown = run(Map.of(), "queries", "--url", api.url(), "--client", "10.9.9.9");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("routerlog: no client 10.9.9.9" + System.lineSeparator());

        Result slow = run(Map.of(), "top", "clients", "--url", api.url() + "/slow", "--timeout", "200ms");
        assertThat(slow.code()).isEqualTo(1);
        assertThat(slow.err())
                .isEqualTo("routerlog: cannot reach " + api.url() + "/slow: no answer within 200ms"
                        + System.lineSeparator());

        String url = api.url();
        api.stop();
        Result down = run(Map.of(), "top", "domains", "--url", url);
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err())
                .isEqualTo("routerlog: cannot reach " + url + ": connection refused (is the node running?)"
                        + System.lineSeparator());
    }

    private static Reply slowly() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Reply.ok("{}");
    }

    @Test
    void badOptionsAreUsageErrorsWithExitCode2AndNoPasswordOnTheCommandLine() {
        Result noPassword = run(Map.of(), "top", "domains", "--url", api.url(), "--user", "admin");
        assertThat(noPassword.code()).isEqualTo(2);
        assertThat(noPassword.err())
                .contains("--user needs a password: set ROUTERLOG_PASSWORD or give --password-file");
        Result onCommandLine = run(Map.of(), "top", "domains", "--url", api.url(), "--password", "secret");
        assertThat(onCommandLine.code()).isEqualTo(2);
        assertThat(run(Map.of(), "top", "domains", "--url", "ftp://example.org").err())
                .contains("--url: 'ftp://example.org' is not an http:// or https:// URL with a host");
        assertThat(run(Map.of(), "queries", "--url", api.url(), "--limit", "0").code())
                .isEqualTo(2);
        assertThat(run(Map.of(), "top").code()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void theHelpListsTheCommands() {
        Result r = run(Map.of(), "--help");
        assertThat(r.out())
                .containsPattern("\n  top +Ask a running node")
                .containsPattern("\n  queries +The latest DNS");
        for (String[] args : List.of(
                new String[] {"top", "domains", "--help"},
                new String[] {"top", "clients", "--help"},
                new String[] {"queries", "--help"},
                new String[] {"suspects", "--help"})) {
            Result help = run(Map.of(), args);
            assertThat(help.code()).isZero();
            assertThat(help.out().lines())
                    .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
            assertThat(help.out())
                    .contains("--url=URL")
                    .contains("--password-file=FILE")
                    .contains("Default: http://127.0.0.1:9514.");
        }
    }

    @Test
    void httpsWithTheNodesSelfSignedCertificate() throws Exception {
        Certificates.Issued cert = Certificates.in(dir).selfSigned("node", "localhost", "IP:127.0.0.1");
        try (ApiServer https = ApiServer.startTls(TlsFiles.serverContext(cert.cert(), cert.key()))) {
            https.answer(r -> Reply.ok(ApiServer.recorded("top-domains")));
            Result trusted = run(
                    Map.of(),
                    "top",
                    "domains",
                    "--url",
                    https.url(),
                    "--tls-ca",
                    cert.cert().toString());
            assertThat(trusted.code()).isZero();
            assertThat(trusted.out()).contains("github.com");
            Result untrusted = run(Map.of(), "top", "domains", "--url", https.url());
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(untrusted.err()).startsWith("routerlog: cannot reach " + https.url() + ": TLS failed: ");
            assertThat(untrusted.err().lines()).hasSize(1);
        }
    }

    /** A node's query log as the API serves it: cursors are sequence numbers, which start again after a restart. */
    private static final class QueryLog {
        final List<JsonNode> entries = new CopyOnWriteArrayList<>();
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger second = new AtomicInteger();

        void add(String domain) {
            int n = seq.incrementAndGet();
            entries.add(JSON.createObjectNode()
                    .put(
                            "time",
                            Instant.parse("2026-12-02T10:00:00Z")
                                    .plusSeconds(second.incrementAndGet())
                                    .toString())
                    .put("router", "r1")
                    .put("client", "192.168.1.7")
                    .put("domain", domain)
                    .put("qtype", "A")
                    .put("cursor", Integer.toString(n)));
        }

        Reply answer(ApiServer.Request r) {
            int limit = Integer.parseInt(r.param("limit"));
            int after = r.param("after") == null ? 0 : Integer.parseInt(r.param("after"));
            int before = r.param("before") == null ? Integer.MAX_VALUE : Integer.parseInt(r.param("before"));
            List<JsonNode> newestFirst = new ArrayList<>();
            for (int i = entries.size() - 1; i >= 0; i--) {
                int c = entries.get(i).get("cursor").asInt();
                if (c > after && c < before && newestFirst.size() < limit) {
                    newestFirst.add(entries.get(i));
                }
            }
            var doc = JSON.createObjectNode();
            doc.putArray("items").addAll(newestFirst);
            String last = newestFirst.isEmpty()
                    ? null
                    : newestFirst.get(newestFirst.size() - 1).get("cursor").asText();
            boolean more = last != null && Integer.parseInt(last) > after + 1;
            doc.put("next", more ? last : null);
            doc.put(
                    "newest",
                    entries.isEmpty()
                            ? null
                            : entries.get(entries.size() - 1).get("cursor").asText());
            return Reply.ok(doc.toString());
        }
    }

    /** Runs a command until the test interrupts it. */
    private static final class Running implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Thread thread;

        Running(Map<String, String> env, String... args) {
            thread = new Thread(() -> Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true)));
            thread.start();
        }

        List<String> lines() {
            return out.toString().lines().toList();
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).isFalse();
        }
    }

    @Test
    void followPrintsNewEntriesAsTheyComeAndSurvivesANodeRestart() throws Exception {
        QueryLog log = new QueryLog();
        for (String d : List.of("one.example", "two.example", "three.example")) {
            log.add(d);
        }
        api.answer(log::answer);
        try (Running tail = new Running(
                Map.of(), "queries", "--url", api.url(), "--follow", "--interval", "100ms", "--limit", "2")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 3);
            // more news than one page holds: all of them, in order
            for (String d : List.of("four.example", "five.example", "six.example", "seven.example", "eight.example")) {
                log.add(d);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 8);
            assertThat(api.requests())
                    .anySatisfy(r -> assertThat(r.param("after")).isEqualTo("3"));
            assertThat(api.requests())
                    .anySatisfy(
                            r -> assertThat(r.rawQuery()).contains("before=").contains("after=3"));

            api.stop();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tail.err.toString().contains("trying again"));
            // one line, however the poll in flight when it stopped failed (refused, or a reset)
            assertThat(tail.err.toString().lines().toList())
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .startsWith("routerlog: cannot reach " + api.url() + ": ")
                            .endsWith("; trying again every 100ms (Ctrl-C to stop)"));
            // the restarted node counts from 1 again, so the old cursor (8) would hide its first entries
            log.entries.clear();
            log.seq.set(0);
            log.add("after-restart.example");
            api.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 9);
            log.add("later.example");
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 10);
            Thread.sleep(300); // a few more polls print nothing twice
            assertThat(tail.err.toString())
                    .endsWith("routerlog: " + api.url() + " answers again" + System.lineSeparator());
            assertThat(tail.lines().stream().skip(1).map(l -> l.substring(l.lastIndexOf(' ') + 1)))
                    .containsExactly(
                            "two.example",
                            "three.example",
                            "four.example",
                            "five.example",
                            "six.example",
                            "seven.example",
                            "eight.example",
                            "after-restart.example",
                            "later.example");
            assertThat(tail.lines().get(0)).matches("TIME +ROUTER +CLIENT +TYPE +DOMAIN");
            // the parts line up: every domain starts in the same column
            assertThat(tail.lines().stream()
                            .map(l -> l.indexOf(l.substring(l.lastIndexOf(' ') + 1)))
                            .distinct())
                    .hasSize(1);
        }
    }

    @Test
    void followWithJsonPrintsOneObjectALine() throws Exception {
        QueryLog log = new QueryLog();
        log.add("one.example");
        log.add("two.example");
        api.answer(log::answer);
        try (Running tail =
                new Running(Map.of(), "queries", "--url", api.url(), "-f", "--json", "--interval", "100ms")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 2);
            log.add("three.example");
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 3);
            List<String> domains = new ArrayList<>();
            for (String line : tail.lines()) {
                domains.add(JSON.readTree(line).get("domain").asText());
            }
            assertThat(domains).containsExactly("one.example", "two.example", "three.example");
        }
    }

    @Test
    void followWithoutCursorsCatchesUpByTime() throws Exception {
        QueryLog log = new QueryLog();
        log.add("one.example");
        api.answer(r -> {
            // an API that gives no cursor at all: the tail still prints each entry once
            String body = log.answer(r).body().replaceAll(",\"newest\":[^,}]*", "");
            return Reply.ok(body);
        });
        try (Running tail = new Running(Map.of(), "queries", "--url", api.url(), "-f", "--interval", "100ms")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 2);
            log.add("two.example");
            await().atMost(Duration.ofSeconds(10)).until(() -> tail.lines().size() == 3);
            Thread.sleep(300);
            assertThat(tail.lines()).hasSize(3);
            assertThat(tail.lines().get(2)).endsWith("two.example");
            assertThat(api.requests())
                    .allSatisfy(r -> assertThat(r.param("after")).isNull());
        }
    }
}
