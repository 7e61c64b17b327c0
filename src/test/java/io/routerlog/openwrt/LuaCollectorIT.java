package io.routerlog.openwrt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.routerlog.testing.Command;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router side in {@code openwrt-config/}: the prometheus-node-exporter-lua collector {@code routerlog.lua}, run
 * by {@code test/harness.lua} under a real lua5.1 against the packaged routerlog and against a server answering
 * garbage, and {@code setup-routerlog.sh} run under dash and busybox ash with a fake {@code uci} and init.d.
 */
class LuaCollectorIT {
    private static final Path DIR =
            Path.of(System.getProperty("user.dir"), "openwrt-config").toAbsolutePath();
    private static final Path HARNESS = DIR.resolve("test/harness.lua");
    private static final Path COLLECTOR = DIR.resolve("routerlog.lua");
    private static final Path SETUP = DIR.resolve("setup-routerlog.sh");
    private static final Path FAKE_UCI = DIR.resolve("test/fake-uci.sh");
    private static final String QUERIES = "routerlog_dns_queries_total";
    private static final String LEASES = "routerlog_dhcp_lease_info";
    private static final String UP = "routerlog_collector_up";
    private static final String ERROR = "routerlog_collector_error_info";

    /**
     * What the collector prints when it could not read the table: up 0 and the reason, nothing else (as the harness
     * prints it, with the HELP lines).
     */
    private static String down(String reason) {
        return "# HELP " + UP + " 1 when this scrape fetched and read routerlog's client table, 0 when not (see "
                + ERROR + ")\n# TYPE " + UP + " gauge\n" + UP + " 0\n"
                + "# HELP " + ERROR + " Why this scrape could not read routerlog's client table; always 1, only while "
                + UP + " is 0\n# TYPE " + ERROR + " gauge\n" + ERROR + "{reason=\"" + reason + "\"} 1\n";
    }

    /** A run of the harness whose collector said it could not read the table, for {@code reason}. */
    private static Run downRun(String reason) {
        return new Run(0, down(reason), "");
    }

    private static HttpServer garbage;
    private static ExecutorService garbageThreads;
    private Path tmp;

    // ---- tools ------------------------------------------------------------------------------------------------

    @BeforeAll
    static void toolsAreInstalled() throws Exception {
        requireTool(
                "lua5.1 with the Lua socket module (Debian packages lua5.1 and lua-socket)",
                "lua5.1",
                "-e",
                "require('socket'); require('socket.http'); require('ltn12')");
        requireTool("promtool (Debian package prometheus)", "promtool", "--version");
        requireTool(
                "busybox (Debian package busybox), the shell OpenWrt runs setup-routerlog.sh with",
                "busybox",
                "sh",
                "-c",
                "true");
        requireTool("a POSIX sh", "sh", "-c", "true");
        assertThat(HARNESS).as("harness (run from the project directory)").isRegularFile();
        startGarbageServer();
    }

    private static void requireTool(String what, String... cmd) throws InterruptedException {
        int code;
        String out;
        try {
            Command.Result r = Command.of(cmd)
                    .mergeStderr()
                    .deadline(Duration.ofSeconds(30))
                    .run();
            out = r.out();
            if (!r.finished()) {
                throw new AssertionError(String.join(" ", cmd) + " did not finish");
            }
            code = r.exitCode();
        } catch (IOException e) {
            throw new AssertionError("LuaCollectorIT needs " + what + ": apt-get install lua5.1 lua-socket "
                    + "prometheus busybox (" + e.getMessage() + ")");
        }
        if (code != 0) {
            throw new AssertionError("LuaCollectorIT needs " + what + ": apt-get install lua5.1 lua-socket "
                    + "prometheus busybox (" + String.join(" ", cmd) + " exited with " + code + ": " + out + ")");
        }
    }

    @AfterAll
    static void stopGarbageServer() {
        if (garbage != null) {
            garbage.stop(0);
            garbageThreads.shutdownNow();
        }
    }

    @BeforeEach
    void makeTmp() throws IOException {
        tmp = Files.createTempDirectory("luacollector-it");
    }

    @AfterEach
    void removeTmp() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- the collector against routerlog ----------------------------------------------------------------------

    private static final String HDR = "<30>Jan  5 02:03:04 OpenWrt ";
    private static final String HOSTILE_HOST = "ev\"il\\host%41\tx";
    /** How routerlog stores it: the backslash and the tab as \DDD. */
    private static final String HOSTILE_HOST_STORED = "ev\"il\\092host%41\\009x";

    /**
     * One dnsmasq query line sent {@code times} times (octet-counted when its name holds a line end); {@code stored}
     * and {@code qtype} as exported.
     */
    private record Query(
            boolean octetCounted,
            String client,
            String domain,
            String stored,
            String logType,
            String qtype,
            int times) {
        Query(String client, String domain, String logType, String qtype, int times) {
            this(false, client, domain, domain, logType, qtype, times);
        }

        String line() {
            return HDR + "dnsmasq[1]: 7 " + client + "/40000 query[" + logType + "] " + domain + " from " + client;
        }
    }

    private static final List<Query> TRAFFIC = List.of(
            new Query("127.0.0.10", "example.com", "A", "A", 3),
            new Query("127.0.0.10", "example.com", "AAAA", "AAAA", 2),
            new Query("127.0.0.10", "api.example.org", "HTTPS", "HTTPS", 1),
            new Query("127.0.0.11", "example.com", "A", "A", 1),
            new Query("127.0.0.11", "txt.example.net", "TXT", "TXT", 4),
            new Query("127.0.0.11", "odd.test", "type=65534", "TYPE65534", 1),
            new Query("127.0.0.12", "foo.test", "A", "A", 2),
            new Query("::1", "v6.test", "AAAA", "AAAA", 1),
            new Query(false, "127.0.0.13", "q\"uo\\te.test", "q\"uo\\092te.test", "A", "A", 2),
            new Query(false, "127.0.0.13", "ta\tb.test", "ta\\009b.test", "A", "A", 1),
            new Query("127.0.0.13", "pct%41.test", "A", "A", 1),
            new Query("127.0.0.13", "pct%25%.test", "A", "A", 1),
            new Query("127.0.0.13", "=cmd|' /c calc'!a0.test", "A", "A", 1), // %3D in the TSV, decoded by Lua
            new Query(false, "127.0.0.13", "back\\nslash.test", "back\\092nslash.test", "A", "A", 1),
            new Query(false, "127.0.0.13", "\u00fcml\u00e4ut.test", "\\195\\188ml\\195\\164ut.test", "A", "A", 1),
            new Query(true, "127.0.0.13", "new\nline.test", "new\\010line.test", "A", "A", 1),
            new Query(true, "127.0.0.13", "cr\rret.test", "cr\\013ret.test", "A", "A", 1));

    private static final List<String> DHCP = List.of(
            "DHCPACK(br-lan) 127.0.0.10 02:00:00:00:00:0a laptop",
            "DHCPACK(br-lan) 127.0.0.11 02:00:00:00:00:0b",
            "DHCPACK(br-lan) 127.0.0.13 02:00:00:00:00:0d " + HOSTILE_HOST,
            "DHCPACK(br-lan) 127.0.0.14 02:00:00:00:00:0e quiet");

    private static Map<List<String>, Double> expectedQueries() {
        Map<List<String>, Double> m = new TreeMap<>(Comparator.comparing(List::toString));
        for (Query q : TRAFFIC) {
            m.merge(List.of(q.client(), q.stored(), q.qtype()), (double) q.times(), Double::sum);
        }
        return m;
    }

    /** client -> [mac, hostname]: the leases of clients that have queries (127.0.0.14 has none). */
    private static Map<String, List<String>> expectedLeases() {
        return Map.of(
                "127.0.0.10", List.of("02:00:00:00:00:0a", "laptop"),
                "127.0.0.11", List.of("02:00:00:00:00:0b", ""),
                "127.0.0.13", List.of("02:00:00:00:00:0d", HOSTILE_HOST_STORED));
    }

    private static Map<List<String>, Double> queries(Exposition e) {
        Map<List<String>, Double> m = new TreeMap<>(Comparator.comparing(List::toString));
        for (Exposition.Sample s : e.samples(QUERIES)) {
            assertThat(s.labels()).containsOnlyKeys("router", "client", "domain", "qtype");
            assertThat(s.labels()).containsEntry("router", "OpenWrt");
            Double old = m.put(
                    List.of(
                            s.labels().get("client"),
                            s.labels().get("domain"),
                            s.labels().get("qtype")),
                    s.value());
            assertThat(old).as("duplicate series %s", s.labels()).isNull();
        }
        return m;
    }

    private static Map<String, List<String>> leases(Exposition e) {
        Map<String, List<String>> m = new TreeMap<>();
        for (Exposition.Sample s : e.samples(LEASES)) {
            assertThat(s.labels()).containsOnlyKeys("router", "client", "mac", "hostname");
            assertThat(s.labels()).containsEntry("router", "OpenWrt");
            assertThat(s.value()).as("value of %s", s.labels()).isEqualTo(1.0);
            List<String> old = m.put(
                    s.labels().get("client"),
                    List.of(s.labels().get("mac"), s.labels().get("hostname")));
            assertThat(old).as("duplicate series %s", s.labels()).isNull();
        }
        return m;
    }

    @Test
    void collectorReExportsWhatRouterlogCountedAndSaysSoWhenItStops() throws Exception {
        RouterLogProcess r = RouterLogProcess.start();
        try {
            List<String> udp = new ArrayList<>();
            StringBuilder tcp = new StringBuilder();
            int frames = 0;
            for (String d : DHCP) {
                udp.add(HDR + "dnsmasq-dhcp[1]: " + d);
                frames++;
            }
            for (Query q : TRAFFIC) {
                for (int k = 0; k < q.times(); k++) {
                    if (q.octetCounted()) {
                        tcp.append(Senders.octet(q.line()));
                    } else if (k % 2 == 1) {
                        udp.add(q.line());
                    } else {
                        tcp.append(q.line()).append('\n');
                    }
                    frames++;
                }
            }
            Senders.udp(r.syslogPort, udp);
            Senders.tcp(r.syslogPort, tcp.toString());
            Exposition own = settle(r, frames, expectedQueries().size());

            // what routerlog itself serves: the oracle for the collector
            assertThat(queries(own)).isEqualTo(expectedQueries());
            Map<String, List<String>> ownLeases = leases(own);
            assertThat(ownLeases).containsEntry("127.0.0.14", List.of("02:00:00:00:00:0e", "quiet"));
            ownLeases.remove("127.0.0.14");
            assertThat(ownLeases).isEqualTo(expectedLeases());

            Run run = harness("--url", "http://127.0.0.1:" + r.httpPort + "/clients.tsv");
            assertThat(run.code).as("harness exit code, stderr: %s", run.err).isZero();
            assertThat(run.err).isEmpty();
            Exposition e = Exposition.parse(run.out);
            assertThat(queries(e)).isEqualTo(expectedQueries());
            assertThat(leases(e)).isEqualTo(expectedLeases());
            assertThat(e.samples())
                    .hasSize(1 + expectedQueries().size() + expectedLeases().size());
            assertThat(e.value(UP)).isEqualTo(1.0);
            assertThat(e.samples(ERROR)).isEmpty();
            assertThat(e.types()).isEqualTo(Map.of(UP, "gauge", QUERIES, "counter", LEASES, "gauge"));
            // one TYPE and one HELP line per metric: the exporter prints TYPE on every metric() call
            assertThat(run.out.lines().filter(l -> l.startsWith("# TYPE ")).toList())
                    .containsExactly(
                            "# TYPE " + UP + " gauge", "# TYPE " + QUERIES + " counter", "# TYPE " + LEASES + " gauge");
            assertThat(run.out
                            .lines()
                            .filter(l -> l.startsWith("# HELP "))
                            .map(l -> l.split(" ")[2])
                            .toList())
                    .containsExactly(UP, QUERIES, LEASES);
            // the escapes as they appear on the wire
            assertThat(run.out)
                    .contains("domain=\"q\\\"uo\\\\092te.test\"")
                    .contains("domain=\"back\\\\092nslash.test\"")
                    .contains("domain=\"new\\\\010line.test\"")
                    .contains("domain=\"pct%25%.test\"")
                    .contains("domain=\"ta\\\\009b.test\"")
                    .contains("hostname=\"ev\\\"il\\\\092host%41\\\\009x\"")
                    .contains("hostname=\"\"");
            assertThat(promtool(run.out)).isEqualTo(new Run(0, "", ""));

            // routerlog stopped: no answer on its port, which the router's Prometheus can alert on
            r.close();
            Run down = harness("--url", "http://127.0.0.1:" + r.httpPort + "/clients.tsv", "--timeout", "1");
            assertThat(down).isEqualTo(downRun("unreachable"));
            assertThat(promtool(down.out)).isEqualTo(new Run(0, "", ""));
        } finally {
            r.close();
        }
    }

    // ---- the collector against a server answering garbage ------------------------------------------------------

    private static final String VALID = "127.0.0.20\tgood.test\tA\t5\t02:00:00:00:00:14\thost-20\tOpenWrt\n"
            + "127.0.0.20\tgood.test\tAAAA\t7\t02:00:00:00:00:14\thost-20\tOpenWrt\n"
            + "127.0.0.21\tother%09.test\tTXT\t123456789012\t\t\tOpenWrt\n";

    private interface Handler {
        void handle(HttpExchange x) throws Exception;
    }

    private static void startGarbageServer() throws IOException {
        Map<String, Handler> h = new LinkedHashMap<>();
        h.put("/valid", x -> reply(x, 200, VALID));
        h.put("/empty", x -> reply(x, 200, ""));
        h.put("/html", x -> reply(x, 200, "<html><body>It works!</body></html>\n"));
        h.put("/status500", x -> reply(x, 500, VALID));
        h.put("/status404", x -> reply(x, 404, VALID));
        h.put("/redirect", x -> {
            x.getResponseHeaders().add("Location", "/valid");
            reply(x, 302, "");
        });
        h.put("/metrics-format", x -> reply(x, 200, "# TYPE up gauge\nup 1\n"));
        h.put("/bad-count", x -> reply(x, 200, VALID + "127.0.0.22\tx.test\tA\tmany\t\t\n"));
        h.put("/negative-count", x -> reply(x, 200, "127.0.0.22\tx.test\tA\t-1\t\t\n"));
        h.put("/huge-count", x -> reply(x, 200, "127.0.0.22\tx.test\tA\t1234567890123456\t\t\n"));
        h.put("/five-fields", x -> reply(x, 200, "127.0.0.22\tx.test\tA\t1\t\n"));
        h.put("/eight-fields", x -> reply(x, 200, "127.0.0.22\tx.test\tA\t1\t\t\tr\t\n"));
        h.put("/no-client", x -> reply(x, 200, "\tx.test\tA\t1\t\t\n"));
        h.put("/blank-line", x -> reply(x, 200, VALID + "\n"));
        h.put("/cut-short", x -> reply(x, 200, VALID.substring(0, VALID.length() - 10)));
        h.put("/crlf", x -> reply(x, 200, VALID.replace("\n", "\r\n")));
        h.put("/stray-percent", x -> reply(x, 200, "127.0.0.22\t50%off.test\tA\t1\t\t\n"));
        h.put("/bad-escape", x -> reply(x, 200, "127.0.0.22\tx%zz.test\tA\t1\t\t\n"));
        h.put("/escaped-bad-utf8", x -> reply(x, 200, "127.0.0.22\tx%FF.test\tA\t1\t\t\n"));
        h.put(
                "/raw-bad-utf8",
                x -> reply(x, 200, concat(VALID.getBytes(StandardCharsets.UTF_8), new byte[] {
                    '1',
                    '2',
                    '7',
                    '.',
                    '0',
                    '.',
                    '0',
                    '.',
                    '2',
                    '2',
                    '\t',
                    (byte) 0xC3,
                    '(',
                    '\t',
                    'A',
                    '\t',
                    '1',
                    '\t',
                    '\t',
                    '\n'
                })));
        h.put("/binary", x -> {
            byte[] b = new byte[4096];
            new Random(42).nextBytes(b);
            reply(x, 200, b);
        });
        h.put("/big", x -> reply(x, 200, bigTable()));
        h.put("/slow", x -> {
            Thread.sleep(5000);
            reply(x, 200, VALID);
        });
        h.put("/drip", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                for (byte b : VALID.repeat(3).getBytes(StandardCharsets.UTF_8)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException gone) {
                // the collector gave up, as it should
            }
        });
        garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        garbageThreads = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "garbage-http");
            t.setDaemon(true);
            return t;
        });
        garbage.setExecutor(garbageThreads);
        h.forEach((path, handler) -> garbage.createContext(path, x -> {
            try {
                handler.handle(x);
            } catch (IOException e) {
                // client went away
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                x.close();
            }
        }));
        garbage.start();
    }

    private static String bigTable() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            b.append("127.0.0.30\tname-").append(i).append(".test\tA\t1\t\t\n");
        }
        return b.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        reply(x, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", "text/tab-separated-values; charset=utf-8");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    private static String garbageUrl(String path) {
        return "http://127.0.0.1:" + garbage.getAddress().getPort() + path;
    }

    /** The samples that {@link #VALID} gives. */
    private static void assertValidSamples(Run run) {
        assertThat(run.code).as("exit code, stderr: %s", run.err).isZero();
        assertThat(run.err).isEmpty();
        Exposition e = Exposition.parse(run.out);
        assertThat(e.value(UP)).isEqualTo(1.0);
        Map<List<String>, Double> q = new TreeMap<>(Comparator.comparing(List::toString));
        q.put(List.of("127.0.0.20", "good.test", "A"), 5.0);
        q.put(List.of("127.0.0.20", "good.test", "AAAA"), 7.0);
        q.put(List.of("127.0.0.21", "other\t.test", "TXT"), 123456789012.0);
        assertThat(queries(e)).isEqualTo(q);
        assertThat(leases(e)).isEqualTo(Map.of("127.0.0.20", List.of("02:00:00:00:00:14", "host-20")));
        assertThat(run.out).contains("qtype=\"TXT\",router=\"OpenWrt\"} 123456789012\n");
    }

    @Test
    void wellFormedTableFromAnotherServerIsReadExactly() throws Exception {
        Run run = harness("--url", garbageUrl("/valid"));
        assertValidSamples(run);
        assertThat(promtool(run.out)).isEqualTo(new Run(0, "", ""));
        assertThat(harness("--url", garbageUrl("/big"))
                        .out
                        .lines()
                        .filter(l -> l.startsWith(QUERIES + "{"))
                        .count())
                .isEqualTo(200);
    }

    @Test
    void garbageAnswersExportUpZeroAndTheReasonButNoTableAndRaiseNoError() throws Exception {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("/status500", "http_500");
        reasons.put("/status404", "http_404");
        reasons.put("/no-such-path", "http_404");
        reasons.put("/redirect", "http_302");
        for (String path : List.of(
                "/html",
                "/metrics-format",
                "/bad-count",
                "/negative-count",
                "/huge-count",
                "/five-fields",
                "/eight-fields",
                "/no-client",
                "/blank-line",
                "/cut-short",
                "/crlf",
                "/stray-percent",
                "/bad-escape",
                "/escaped-bad-utf8",
                "/raw-bad-utf8",
                "/binary")) {
            reasons.put(path, "malformed");
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        Map<String, Run> expected = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : reasons.entrySet()) {
            runs.put(r.getKey(), harness("--url", garbageUrl(r.getKey())));
            expected.put(r.getKey(), downRun(r.getValue()));
        }
        assertThat(runs).isEqualTo(expected);
        assertThat(promtool(down("malformed"))).isEqualTo(new Run(0, "", ""));

        // an empty table is a routerlog that counted nothing yet: up, and no series
        Run empty = harness("--url", garbageUrl("/empty"));
        assertThat(Exposition.parse(empty.out).samples()).containsExactly(new Exposition.Sample(UP, Map.of(), 1.0));
    }

    @Test
    void oversizedSlowAndUnreachableAnswersAreGivenUpOnTime() throws Exception {
        // the same table is read with the default limit, and dropped above a smaller one
        assertThat(harness("--url", garbageUrl("/big")).out).contains("name-199.test");
        assertThat(harness("--url", garbageUrl("/big"), "--max-bytes", "1000")).isEqualTo(downRun("too_large"));

        for (String path : List.of("/slow", "/drip")) {
            long start = System.nanoTime();
            Run run = harness("--url", garbageUrl(path), "--timeout", "1");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(run).as(path).isEqualTo(downRun("timeout"));
            assertThat(millis).as("%s took", path).isLessThan(4000);
        }

        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long start = System.nanoTime();
        Run refused = harness("--url", "http://127.0.0.1:" + closed + "/clients.tsv");
        assertThat(refused).isEqualTo(downRun("unreachable"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);

        assertThat(harness("--url", "not a url")).isEqualTo(downRun("bad_url"));
        assertThat(harness("--url", "https://127.0.0.1:" + closed + "/clients.tsv"))
                .isEqualTo(downRun("bad_url"));
    }

    @Test
    void otherCollectorsKeepWorkingWhenRouterlogAnswersGarbage() throws Exception {
        Path other = tmp.resolve("other.lua");
        Files.writeString(other, "return { scrape = function() metric('other_up', 'gauge', { a = 'b' }, 1) end }\n");
        Run run = harness(
                "--url", garbageUrl("/binary"), "--collector", COLLECTOR.toString(), "--collector", other.toString());
        assertThat(run).isEqualTo(new Run(0, down("malformed") + "# TYPE other_up gauge\nother_up{a=\"b\"} 1\n", ""));
    }

    @Test
    void harnessReportsACollectorThatRaises() throws Exception {
        // what makes the exit code 0 above mean something
        Path failing = tmp.resolve("failing.lua");
        Files.writeString(failing, "return { scrape = function() error('collector broke') end }\n");
        Run run = harness("--collector", failing.toString());
        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("collector broke");
    }

    @Test
    void urlComesFromTheEnvironmentThenUciThenTheFile() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.copy(FAKE_UCI, bin.resolve("uci"));
        executable(bin.resolve("uci"));
        Path state = tmp.resolve("uci-state");
        Files.writeString(
                state,
                "prometheus-node-exporter-lua.routerlog=routerlog\n" + "prometheus-node-exporter-lua.routerlog.url="
                        + garbageUrl("/valid") + "\n");
        Map<String, String> env = new TreeMap<>(Map.of(
                "PATH", bin + ":" + System.getenv("PATH"),
                "FAKE_UCI_STATE", state.toString(),
                "FAKE_UCI_LOG", tmp.resolve("uci-log").toString()));

        assertValidSamples(run(env, harnessCommand()));
        assertThat(Files.readAllLines(tmp.resolve("uci-log")))
                .contains("uci -q get prometheus-node-exporter-lua.routerlog.url");

        // the environment wins over UCI
        env.put("ROUTERLOG_URL", garbageUrl("/html"));
        assertThat(run(env, harnessCommand())).isEqualTo(downRun("malformed"));

        // nothing configured anywhere: nothing printed
        Files.writeString(state, "");
        env.remove("ROUTERLOG_URL");
        assertThat(run(env, harnessCommand())).isEqualTo(new Run(0, "", ""));

        // the value at the top of the file
        String source = Files.readString(COLLECTOR);
        String line = "local URL = nil ";
        assertThat(source).contains(line);
        Path edited = tmp.resolve("routerlog.lua");
        Files.writeString(edited, source.replace(line, "local URL = \"" + garbageUrl("/valid") + "\" "));
        List<String> cmd = new ArrayList<>(harnessCommand());
        cmd.addAll(List.of("--collector", edited.toString()));
        assertValidSamples(run(env, cmd));
    }

    // ---- setup-routerlog.sh ---------------------------------------------------------------------------------------

    private static final List<String> SHELLS = List.of("sh", "busybox sh");
    private static final String SYS = "system.@system[0]";
    private static final String DNSMASQ = "dhcp.@dnsmasq[0]";
    private static final List<String> PLAIN = List.of(
            SYS + "=system",
            SYS + ".hostname=OpenWrt",
            SYS + ".timezone=UTC",
            DNSMASQ + "=dnsmasq",
            DNSMASQ + ".domain=lan",
            DNSMASQ + ".authoritative=1");

    /** A router: fake uci state, fake init.d, a mount table; runs the script and returns what it changed. */
    private final class Router {
        final String shell;
        final Path dir;
        final Path state;
        final Path log;
        final Path initd;
        final Path mounts;

        Router(String shell, List<String> initial) throws IOException {
            this.shell = shell;
            dir = Files.createTempDirectory(tmp, "router");
            state = dir.resolve("uci-state");
            log = dir.resolve("calls");
            initd = Files.createDirectories(dir.resolve("init.d"));
            mounts = dir.resolve("mounts");
            Files.write(state, initial);
            Files.writeString(
                    mounts,
                    "/dev/root /rom squashfs ro,relatime 0 0\n"
                            + "proc /proc proc rw 0 0\n"
                            + "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n"
                            + "/dev/ubi0_1 /overlay ubifs rw 0 0\n"
                            + "overlayfs:/overlay / overlay rw,noatime 0 0\n"
                            + "tmpfs /dev tmpfs rw 0 0\n"
                            + "/dev/sda1 /mnt/usb ext4 rw 0 0\n");
            for (String service : List.of("log", "dnsmasq")) {
                Path s = initd.resolve(service);
                Files.writeString(s, "#!/bin/sh\necho \"init.d/" + service + " $*\" >>\"$FAKE_UCI_LOG\"\n");
                executable(s);
            }
        }

        Run setup(Map<String, String> extraEnv, String... args) throws Exception {
            Files.deleteIfExists(log);
            Map<String, String> env = new TreeMap<>(Map.of(
                    "UCI",
                    FAKE_UCI.toString(),
                    "INITD",
                    initd.toString(),
                    "MOUNTS",
                    mounts.toString(),
                    "FAKE_UCI_STATE",
                    state.toString(),
                    "FAKE_UCI_LOG",
                    log.toString()));
            env.putAll(extraEnv);
            List<String> cmd = new ArrayList<>(Arrays.asList(shell.split(" ")));
            cmd.add(SETUP.toString());
            cmd.addAll(List.of(args));
            return run(env, cmd);
        }

        Run setup(String... args) throws Exception {
            return setup(Map.of(), args);
        }

        /** Every call that is not a read (uci -q get), in order, with the restarts. */
        List<String> changes() throws IOException {
            if (!Files.exists(log)) {
                return List.of();
            }
            List<String> calls = Files.readAllLines(log);
            assertThat(calls).allSatisfy(c -> assertThat(c).matches("(uci |init\\.d/).*"));
            return calls.stream().filter(c -> !c.startsWith("uci -q get ")).toList();
        }

        List<String> state() throws IOException {
            return Files.readAllLines(state).stream().sorted().toList();
        }
    }

    private static List<String> plus(List<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).sorted().toList();
    }

    private static List<String> systemSet(String... options) {
        List<String> l = new ArrayList<>();
        for (String o : options) {
            l.add("uci set " + SYS + "." + o);
        }
        return l;
    }

    private static final List<String> SYSTEM_RESTART = List.of("uci commit system", "init.d/log restart");
    private static final List<String> DNSMASQ_ON =
            List.of("uci set " + DNSMASQ + ".logqueries=1", "uci commit dhcp", "init.d/dnsmasq restart");

    private static List<String> seq(List<?>... parts) {
        return Arrays.stream(parts)
                .flatMap(List::stream)
                .map(String.class::cast)
                .toList();
    }

    @Test
    void setupOverTcpThenUdpThenUndo() throws Exception {
        for (String shell : SHELLS) {
            Router r = new Router(shell, PLAIN);

            Run tcp = r.setup("127.0.0.1");
            assertThat(tcp.code).as("%s: %s", shell, tcp).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(
                            systemSet("log_ip=127.0.0.1", "log_port=5514", "log_proto=tcp"),
                            SYSTEM_RESTART,
                            DNSMASQ_ON));
            List<String> tcpState = plus(
                    PLAIN,
                    SYS + ".log_ip=127.0.0.1",
                    SYS + ".log_port=5514",
                    SYS + ".log_proto=tcp",
                    DNSMASQ + ".logqueries=1");
            assertThat(r.state()).as(shell).isEqualTo(tcpState);
            assertThat(tcp.out).contains("127.0.0.1 port 5514 over tcp").contains("logdhcp");

            // again: nothing to change, nothing restarted
            Run again = r.setup("127.0.0.1");
            assertThat(again.code).isZero();
            assertThat(r.changes()).as(shell).isEmpty();
            assertThat(r.state()).isEqualTo(tcpState);
            assertThat(again.out).contains("is already '127.0.0.1'").contains("not restarted");

            // udp on port 514, from the environment
            Run udp = r.setup(Map.of("ROUTERLOG_HOST", "127.0.0.1", "ROUTERLOG_PORT", "514", "ROUTERLOG_PROTO", "udp"));
            assertThat(udp.code).as("%s: %s", shell, udp).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(systemSet("log_port=514", "log_proto=udp"), SYSTEM_RESTART));
            assertThat(r.state())
                    .isEqualTo(plus(
                            PLAIN,
                            SYS + ".log_ip=127.0.0.1",
                            SYS + ".log_port=514",
                            SYS + ".log_proto=udp",
                            DNSMASQ + ".logqueries=1"));

            // tcp with the NUL trailer
            Run nul = r.setup("--port", "5514", "--tcp", "--null", "127.0.0.1");
            assertThat(nul.code).as("%s: %s", shell, nul).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(systemSet("log_port=5514", "log_proto=tcp", "log_trailer_null=1"), SYSTEM_RESTART));

            // back to udp: the NUL trailer (tcp only) goes
            Run udpAgain = r.setup("--proto", "udp", "127.0.0.1");
            assertThat(udpAgain.code).as("%s: %s", shell, udpAgain).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(
                            systemSet("log_proto=udp"),
                            List.of("uci -q delete " + SYS + ".log_trailer_null"),
                            SYSTEM_RESTART));

            // undo restores the plain configuration
            Run undo = r.setup("--undo");
            assertThat(undo.code).as("%s: %s", shell, undo).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(List.of(
                            "uci -q delete " + SYS + ".log_ip",
                            "uci -q delete " + SYS + ".log_port",
                            "uci -q delete " + SYS + ".log_proto",
                            "uci commit system",
                            "init.d/log restart",
                            "uci -q delete " + DNSMASQ + ".logqueries",
                            "uci commit dhcp",
                            "init.d/dnsmasq restart"));
            assertThat(r.state()).as(shell).isEqualTo(plus(PLAIN));

            Run undoAgain = r.setup("--undo");
            assertThat(undoAgain.code).isZero();
            assertThat(r.changes()).as(shell).isEmpty();
        }
    }

    @Test
    void setupOverUdpFromScratchAndUndoOfTheNulTrailer() throws Exception {
        for (String shell : SHELLS) {
            Router r = new Router(shell, PLAIN);
            Run udp = r.setup("--udp", "-p", "5514", "127.0.0.1");
            assertThat(udp.code).as("%s: %s", shell, udp).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(
                            systemSet("log_ip=127.0.0.1", "log_port=5514", "log_proto=udp"),
                            SYSTEM_RESTART,
                            DNSMASQ_ON));

            Router n = new Router(shell, PLAIN);
            assertThat(n.setup(Map.of("ROUTERLOG_TRAILER_NULL", "1"), "127.0.0.1").code)
                    .isZero();
            assertThat(n.changes())
                    .as(shell)
                    .isEqualTo(seq(
                            systemSet("log_ip=127.0.0.1", "log_port=5514", "log_proto=tcp", "log_trailer_null=1"),
                            SYSTEM_RESTART,
                            DNSMASQ_ON));
            assertThat(n.setup("--undo").code).isZero();
            assertThat(n.changes()).as(shell).contains("uci -q delete " + SYS + ".log_trailer_null");
            assertThat(n.state()).as(shell).isEqualTo(plus(PLAIN));
        }
    }

    @Test
    void setupTurnsRemoteLoggingBackOnAndReplacesAnotherTarget() throws Exception {
        for (String shell : SHELLS) {
            Router r = new Router(
                    shell,
                    plus(
                            PLAIN,
                            SYS + ".log_remote=0",
                            SYS + ".log_ip=127.0.0.99",
                            DNSMASQ + ".logqueries=1",
                            DNSMASQ + ".logdhcp=1"));
            Run run = r.setup("127.0.0.1");
            assertThat(run.code).as("%s: %s", shell, run).isZero();
            assertThat(r.changes())
                    .as(shell)
                    .isEqualTo(seq(
                            systemSet("log_remote=1", "log_ip=127.0.0.1", "log_port=5514", "log_proto=tcp"),
                            SYSTEM_RESTART));
            assertThat(run.out).contains("'127.0.0.99' -> '127.0.0.1'").contains("logdhcp is on");
        }
    }

    @Test
    void setupRefusesALogFileOnFlashUnlessAllowed() throws Exception {
        for (String shell : SHELLS) {
            for (String file : List.of("/root/messages", "/overlay/log/messages", "/mnt/usb/routerlog/messages")) {
                List<String> initial = plus(PLAIN, SYS + ".log_file=" + file);
                Router r = new Router(shell, initial);
                Run refused = r.setup("127.0.0.1");
                assertThat(refused.code).as("%s %s: %s", shell, file, refused).isEqualTo(3);
                assertThat(refused.err)
                        .contains("refusing")
                        .contains("log_file='" + file + "'")
                        .contains("not in RAM")
                        .contains("--allow-log-file");
                assertThat(r.changes()).as("%s %s", shell, file).isEmpty();
                assertThat(r.state()).isEqualTo(initial);

                Run allowed = r.setup("--allow-log-file", "127.0.0.1");
                assertThat(allowed.code).as("%s %s: %s", shell, file, allowed).isZero();
                assertThat(allowed.out).contains("WARNING").contains(file);
                assertThat(r.changes())
                        .as(shell)
                        .isEqualTo(seq(
                                systemSet("log_ip=127.0.0.1", "log_port=5514", "log_proto=tcp"),
                                SYSTEM_RESTART,
                                DNSMASQ_ON));
            }

            // a log file in RAM (tmpfs) is fine
            String ram = "/tmp/routerlog-it-" + ProcessHandle.current().pid() + "/log/messages";
            Router r = new Router(shell, plus(PLAIN, SYS + ".log_file=" + ram));
            Run run = r.setup("127.0.0.1");
            assertThat(run.code).as("%s: %s", shell, run).isZero();
            assertThat(run.out).contains("is in RAM");
            assertThat(r.changes())
                    .isEqualTo(seq(
                            systemSet("log_ip=127.0.0.1", "log_port=5514", "log_proto=tcp"),
                            SYSTEM_RESTART,
                            DNSMASQ_ON));
        }
    }

    @Test
    void setupRefusesWhatWouldKeepQueriesFromRouterlogAndBadArguments() throws Exception {
        for (String shell : SHELLS) {
            for (String facility : List.of("/tmp/dnsmasq.log", "/root/dnsmasq.log", "LOCAL7")) {
                Router r = new Router(shell, plus(PLAIN, DNSMASQ + ".logfacility=" + facility));
                Run run = r.setup("127.0.0.1");
                assertThat(run.code).as("%s %s: %s", shell, facility, run).isEqualTo(3);
                assertThat(run.err).contains("refusing").contains("logfacility");
                assertThat(r.changes()).isEmpty();
            }

            Router noDnsmasq = new Router(
                    shell, PLAIN.stream().filter(l -> !l.startsWith("dhcp.")).toList());
            Run run = noDnsmasq.setup("127.0.0.1");
            assertThat(run.code).as("%s: %s", shell, run).isEqualTo(1);
            assertThat(run.err).contains("config dnsmasq");
            assertThat(noDnsmasq.changes()).isEmpty();

            Router r = new Router(shell, PLAIN);
            for (List<String> args : List.<List<String>>of(
                    List.of(),
                    List.of("--udp", "--null", "127.0.0.1"),
                    List.of("--port", "70000", "127.0.0.1"),
                    List.of("--port", "0", "127.0.0.1"),
                    List.of("--port", "x", "127.0.0.1"),
                    List.of("--proto", "tls", "127.0.0.1"),
                    List.of("127.0.0.1;reboot"),
                    List.of("--bogus", "127.0.0.1"))) {
                Run bad = r.setup(args.toArray(String[]::new));
                assertThat(bad.code).as("%s %s: %s", shell, args, bad).isEqualTo(2);
                assertThat(bad.err).as("%s %s", shell, args).startsWith("setup-routerlog: ");
                assertThat(r.changes()).isEmpty();
            }

            Run dry = r.setup("--dry-run", "127.0.0.1");
            assertThat(dry.code).isZero();
            assertThat(dry.out)
                    .contains("would run: ")
                    .contains("log_ip=127.0.0.1")
                    .contains("init.d/log restart");
            assertThat(r.changes()).isEmpty();
            assertThat(r.state()).isEqualTo(plus(PLAIN));

            Run help = r.setup("--help");
            assertThat(help.code).isZero();
            assertThat(help.out).contains("--undo").contains("--null").contains("--udp");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    record Run(int code, String out, String err) {}

    private static List<String> harnessCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("lua5.1", HARNESS.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Run harness(String... args) throws Exception {
        return run(Map.of(), harnessCommand(args));
    }

    private Run promtool(String exposition) throws Exception {
        Path in = Files.createTempFile(tmp, "scrape", ".prom");
        Files.writeString(in, exposition);
        return run(Map.of(), List.of("promtool", "check", "metrics"), in);
    }

    private Run run(Map<String, String> env, List<String> cmd) throws Exception {
        return run(env, cmd, null);
    }

    /** Runs {@code cmd} with ROUTERLOG_* and FAKE_UCI_* cleared and {@code env} added; at most 60 s. */
    private Run run(Map<String, String> env, List<String> cmd, Path stdin) throws Exception {
        Command command = Command.of(cmd)
                .unsetEnv(k -> k.startsWith("ROUTERLOG_")
                        || k.startsWith("FAKE_UCI_")
                        || k.equals("UCI")
                        || k.equals("INITD")
                        || k.equals("MOUNTS"))
                .env(env)
                .deadline(Duration.ofSeconds(60));
        if (stdin != null) {
            command.stdin(stdin);
        }
        Command.Result r = command.run();
        if (!r.finished()) {
            throw new AssertionError(cmd + " did not finish within 60 s");
        }
        return new Run(r.exitCode(), r.out(), r.err());
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Waits until {@code frames} messages arrived and {@code series} pairs are stored; returns a scrape. */
    private static Exposition settle(RouterLogProcess r, int frames, int series) throws Exception {
        Waiting.upTo(Duration.ofSeconds(20), Duration.ofMillis(50), () -> {
            Exposition m = Http.metrics(r.httpPort);
            double seen = m.samples("routerlog_syslog_messages_total").stream()
                    .mapToDouble(Exposition.Sample::value)
                    .sum();
            return seen >= frames && m.samples(QUERIES).size() >= series;
        });
        Thread.sleep(600); // more than two flush intervals
        return Http.metrics(r.httpPort);
    }
}
