package io.routerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.routerlog.testing.Cluster;
import io.routerlog.testing.Command;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.GeoFixtures;
import io.routerlog.testing.Http;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard {@code deploy/grafana/dashboards/routerlog-dns.json}: its JSON is checked for what file
 * provisioning needs, and every query of every panel is evaluated by a real Prometheus that scrapes a two-node
 * routerlog cluster fed with OpenWrt-style syslog traffic. Each panel must show data, and the panels whose values
 * are known are compared with them, so a query that counts the cluster's nodes twice fails.
 */
class DashboardIT {
    private static final Path DASHBOARD =
            Path.of(System.getProperty("basedir", ".")).resolve("deploy/grafana/dashboards/routerlog-dns.json");
    private static final String DS_UID = "prometheus";
    private static final String DOMAIN = "t.example.com";

    /** The client the {@code $client} variable is set to: it has a DHCP identity with a hostname. */
    private static final String CLIENT = "192.168.1.20";

    private static final String CLIENT_MAC = "02:00:00:00:00:20";
    private static final String CLIENT_HOSTNAME = "laptop-anna";
    /** A client that never sends DHCP: it must still be listed among the top clients. */
    private static final String UNLEASED = "192.168.1.99";

    /** Values for Grafana's variables: the dashboard's own and the built-in ones its queries use. */
    private static final Map<String, String> VARIABLES = Map.of(
            "job", "routerlog",
            "instance", ".*",
            "client", CLIENT,
            "__rate_interval", "30s",
            "__interval", "15s",
            "__range", "1h",
            "__range_s", "3600");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

    // ------------------------------------------------------------------------------------------------ structure

    @Test
    void dashboardIsAProvisionableGrafanaDashboard() throws IOException {
        String text = Files.readString(DASHBOARD, StandardCharsets.UTF_8);
        Map<String, Object> d = Json.object(Json.parse(text), "dashboard");

        assertThat(text)
                .as("file provisioning has no inputs to fill in")
                .doesNotContain("${DS")
                .doesNotContain("__inputs");
        assertThat(d.get("uid")).as("uid").isInstanceOf(String.class).asString().isNotBlank();
        assertThat(d.get("title"))
                .as("title")
                .isInstanceOf(String.class)
                .asString()
                .isNotBlank();
        assertThat(number(d.get("schemaVersion"), "schemaVersion"))
                .as("schemaVersion")
                .isBetween(36L, 41L);

        List<Map<String, Object>> all = flatten(d);
        assertThat(all).as("panels").isNotEmpty();
        Set<Long> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        List<long[]> boxes = new ArrayList<>();
        for (Map<String, Object> p : all) {
            String title = String.valueOf(p.get("title"));
            assertThat(p.get("title")).as("a panel without a title: %s", p).isInstanceOf(String.class);
            assertThat(titles.add(title)).as("title '%s' used twice", title).isTrue();
            assertThat(ids.add(number(p.get("id"), "id of '" + title + "'")))
                    .as("id of '%s' used twice", title)
                    .isTrue();
            assertDatasource(p.get("datasource"), "panel '" + title + "'");

            Map<String, Object> grid = Json.object(p.get("gridPos"), "gridPos of '" + title + "'");
            long x = number(grid.get("x"), "gridPos.x of " + title);
            long y = number(grid.get("y"), "gridPos.y of " + title);
            long w = number(grid.get("w"), "gridPos.w of " + title);
            long h = number(grid.get("h"), "gridPos.h of " + title);
            assertThat(x).as("gridPos.x of '%s'", title).isGreaterThanOrEqualTo(0);
            assertThat(y).as("gridPos.y of '%s'", title).isGreaterThanOrEqualTo(0);
            assertThat(w).as("gridPos.w of '%s'", title).isBetween(1L, 24L);
            assertThat(h).as("gridPos.h of '%s'", title).isPositive();
            assertThat(x + w).as("right edge of '%s'", title).isLessThanOrEqualTo(24);
            for (int i = 0; i < boxes.size(); i++) {
                long[] o = boxes.get(i);
                boolean overlap = x < o[0] + o[2] && o[0] < x + w && y < o[1] + o[3] && o[1] < y + h;
                assertThat(overlap)
                        .as(
                                "'%s' overlaps '%s' (with every row expanded)",
                                title, all.get(i).get("title"))
                        .isFalse();
            }
            boxes.add(new long[] {x, y, w, h});

            List<Object> targets = Json.array(p.getOrDefault("targets", List.of()), "targets of " + title);
            if ("row".equals(p.get("type"))) {
                assertThat(targets).as("row '%s' has no queries", title).isEmpty();
                continue;
            }
            assertThat(targets).as("queries of '%s'", title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (Object o : targets) {
                Map<String, Object> t = Json.object(o, "target of " + title);
                assertThat(refIds.add(String.valueOf(t.get("refId"))))
                        .as("refId %s of '%s' used twice", t.get("refId"), title)
                        .isTrue();
                if (t.containsKey("datasource")) {
                    assertDatasource(t.get("datasource"), "query " + t.get("refId") + " of '" + title + "'");
                }
                assertThat(t.get("expr"))
                        .as("expr of '%s'", title)
                        .isInstanceOf(String.class)
                        .asString()
                        .isNotBlank();
            }
        }

        // rows: an expanded row lists no panels of its own; a collapsed row's panels lie below it
        for (Object o : Json.array(d.get("panels"), "panels")) {
            Map<String, Object> p = Json.object(o, "panel");
            if (!"row".equals(p.get("type"))) {
                assertThat(p)
                        .as("panel '%s' nests panels but is no row", p.get("title"))
                        .doesNotContainKey("panels");
                continue;
            }
            List<Object> nested = Json.array(p.getOrDefault("panels", List.of()), "panels of row " + p.get("title"));
            if (!Boolean.TRUE.equals(p.get("collapsed"))) {
                assertThat(nested)
                        .as("expanded row '%s' keeps its panels at the top level", p.get("title"))
                        .isEmpty();
            }
            long rowY = number(Json.object(p.get("gridPos"), "gridPos").get("y"), "row y");
            for (Object n : nested) {
                Map<String, Object> c = Json.object(n, "panel");
                assertThat(number(Json.object(c.get("gridPos"), "gridPos").get("y"), "y"))
                        .as("'%s' lies below its row", c.get("title"))
                        .isGreaterThan(rowY);
            }
        }
        assertThat(all.stream()
                        .filter(p -> "row".equals(p.get("type"))
                                && Boolean.TRUE.equals(p.get("collapsed"))
                                && "DNSTT".equals(p.get("title"))))
                .as("a collapsed row titled DNSTT")
                .hasSize(1);

        // variables: job and instance (which every query selects by, see DeployFilesTest) and the client; every
        // variable a query uses is defined
        Map<String, Map<String, Object>> variables = variables(d);
        assertThat(variables.keySet()).as("template variables").containsExactly("job", "instance", "client");
        assertThat(variableQuery(variables.get("client")))
                .isEqualTo("label_values(routerlog_dns_queries_total{job=~\"$job\", instance=~\"$instance\"}, client)");
        for (Map<String, Object> v : variables.values()) {
            assertDatasource(v.get("datasource"), "variable " + v.get("name"));
        }
        for (Map<String, Object> p : all) {
            for (String expr : exprs(p)) {
                Matcher m = VARIABLE.matcher(expr);
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    assertThat(variables.containsKey(name) || name.startsWith("__"))
                            .as("'%s' uses $%s, which is not defined", p.get("title"), name)
                            .isTrue();
                }
                assertThat(expr)
                        .as("'%s' uses the deprecated [[variable]] syntax", p.get("title"))
                        .doesNotContain("[[");
            }
        }
    }

    private static void assertDatasource(Object ds, String where) {
        Map<String, Object> m = Json.object(ds, "datasource of " + where);
        assertThat(m.get("uid")).as("datasource uid of %s", where).isEqualTo(DS_UID);
        assertThat(m.get("type")).as("datasource type of %s", where).isEqualTo("prometheus");
    }

    // ------------------------------------------------------------------------------------------------ data

    @Test
    void everyPanelShowsDataFromARealPrometheusScrapingTwoNodes() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> dashboard =
                Json.object(Json.parse(Files.readString(DASHBOARD, StandardCharsets.UTF_8)), "dashboard");
        List<Map<String, Object>> panels = flatten(dashboard).stream()
                .filter(p -> !"row".equals(p.get("type")))
                .toList();
        Path prometheusBinary = Prometheus.binary();
        Path tmp = Files.createTempDirectory("routerlog-dashboard-it");
        try {
            Path[] geo = GeoFixtures.write(tmp);
            // --max-pairs 271, so the new names the feeder sends every round keep evicting pairs; no DNSTT
            // session becomes inactive during the test, so the active ones are all those sent
            try (Cluster nodes = new Cluster(
                                    2,
                                    Map.of(),
                                    List.of(
                                            "--dnstt-domain",
                                            DOMAIN,
                                            "--geoip-country-db",
                                            geo[0].toString(),
                                            "--geoip-asn-db",
                                            geo[1].toString(),
                                            "--max-pairs",
                                            "271",
                                            "--dnstt-active-window",
                                            "10m"))
                            .startAll();
                    Feeder feeder = new Feeder(nodes.syslog[0], nodes.syslog[1]);
                    Prometheus prometheus = Prometheus.start(
                            prometheusBinary, tmp.resolve("prometheus"), List.of(nodes.http[0], nodes.http[1]))) {
                System.out.printf("DashboardIT: cluster, feeder and Prometheus up after %d ms%n", millisSince(started));
                prometheus.awaitTargetsUp(3, Duration.ofSeconds(60)); // two nodes, and one with ?scope=cluster

                // the job variable offers both jobs (the nodes, and one of them again with ?scope=cluster), the
                // instance variable the nodes of the job, the client variable the clients, among them the one the
                // per-client panels are shown for
                Map<String, Map<String, Object>> variables = variables(dashboard);
                assertThat(prometheus.labelValues(substitute(variableQuery(variables.get("job")))))
                        .containsExactlyInAnyOrder("routerlog", "routerlog-cluster");
                assertThat(prometheus.labelValues(substitute(variableQuery(variables.get("instance")))))
                        .containsExactlyInAnyOrder("127.0.0.1:" + nodes.http[0], "127.0.0.1:" + nodes.http[1]);
                String variable = substitute(variableQuery(variables.get("client")));
                assertThat(prometheus.labelValues(variable))
                        .as("values of $client (%s)", variable)
                        .contains(CLIENT, UNLEASED);

                Map<String, String> problems = awaitEveryPanel(prometheus, panels, Duration.ofSeconds(60));
                assertThat(feeder.failure()).as("feeding routerlog failed").isNull();
                assertThat(problems)
                        .as("panels without data (title -> expr and what Prometheus answered)")
                        .isEmpty();
                System.out.printf(
                        "DashboardIT: all %d panels have data after %d ms%n", panels.size(), millisSince(started));

                checkTopClients(prometheus, panel(panels, "Top clients"));

                // with no new DNSTT sessions, the cluster-wide values settle: compare the panels with them
                feeder.pauseNewSessions();
                checkClusterWideValues(prometheus, panels, feeder, nodes);
                assertThat(feeder.failure()).as("feeding routerlog failed").isNull();
            }
        } finally {
            deleteRecursively(tmp);
        }
        System.out.printf("DashboardIT: done in %d ms%n", millisSince(started));
    }

    /**
     * Evaluates every query of every panel until each query returns a sample and each panel has a value other
     * than 0, or {@code timeout} passes (rates need two scrapes). Returns what is still wrong, by panel title.
     */
    private static Map<String, String> awaitEveryPanel(
            Prometheus prometheus, List<Map<String, Object>> panels, Duration timeout) throws Exception {
        Map<String, String> problems = new TreeMap<>();
        Set<String> done = new HashSet<>();
        Waiting.upTo(timeout, Duration.ofSeconds(1), () -> {
            problems.clear();
            for (Map<String, Object> p : panels) {
                String title = String.valueOf(p.get("title"));
                if (done.contains(title)) {
                    continue;
                }
                String problem = panelProblem(prometheus, p);
                if (problem == null) {
                    done.add(title);
                } else {
                    problems.put(title, problem);
                }
            }
            return problems.isEmpty();
        });
        return problems;
    }

    /** Null when every query of the panel returns samples, none per node, and one of them is not 0. */
    private static String panelProblem(Prometheus prometheus, Map<String, Object> panel) throws Exception {
        boolean nonZero = false;
        StringBuilder answers = new StringBuilder();
        for (String raw : exprs(panel)) {
            String expr = substitute(raw);
            List<Sample> samples;
            try {
                samples = prometheus.query(expr);
            } catch (AssertionError rejected) {
                throw new AssertionError("panel '" + panel.get("title") + "': " + rejected.getMessage(), rejected);
            }
            if (samples.isEmpty()) {
                return "no sample for: " + expr;
            }
            for (Sample s : samples) {
                if (s.labels().containsKey("instance") || s.labels().containsKey("node")) {
                    return "one series per node (" + s.labels() + ") for: " + expr;
                }
                nonZero |= s.value() != 0 && !Double.isNaN(s.value());
            }
            answers.append(expr).append(" -> ").append(samples).append('\n');
        }
        return nonZero ? null : "every value is 0 or NaN:\n" + answers;
    }

    /** The lease join shows hostname and MAC of a client with a lease, and keeps clients without one. */
    private static void checkTopClients(Prometheus prometheus, Map<String, Object> panel) throws Exception {
        String expr = substitute(exprs(panel).get(0));
        List<Sample> rows = prometheus.query(expr);
        List<Sample> client = rows.stream()
                .filter(s -> CLIENT.equals(s.labels().get("client")))
                .toList();
        assertThat(client).as("rows for %s in %s: %s", CLIENT, expr, rows).hasSize(1);
        assertThat(client.get(0).labels())
                .as("labels of %s", CLIENT)
                .containsEntry("hostname", CLIENT_HOSTNAME)
                .containsEntry("mac", CLIENT_MAC);
        assertThat(client.get(0).value()).as("queries of %s", CLIENT).isPositive();
        List<Sample> unleased = rows.stream()
                .filter(s -> UNLEASED.equals(s.labels().get("client")))
                .toList();
        assertThat(unleased)
                .as("a client without DHCP identity is listed once: %s", rows)
                .hasSize(1);
        assertThat(unleased.get(0).labels()).as("labels of %s", UNLEASED).doesNotContainKeys("hostname", "mac");
        List<Sample> noHostname = rows.stream()
                .filter(s -> Feeder.NO_HOSTNAME.equals(s.labels().get("client")))
                .toList();
        assertThat(noHostname)
                .as("a client whose DHCP request had no hostname: %s", rows)
                .hasSize(1);
        assertThat(noHostname.get(0).labels())
                .containsEntry("mac", Feeder.NO_HOSTNAME_MAC)
                .doesNotContainKey("hostname");
    }

    /**
     * DNSTT sessions and peaks and the DHCP identities are reported in full by every node, active sessions by
     * each node for its share. The panels must show each once, not once per node and not one node's share:
     * compared with what was sent and with the nodes' own /metrics.
     */
    private static void checkClusterWideValues(
            Prometheus prometheus, List<Map<String, Object>> panels, Feeder feeder, Cluster nodes) throws Exception {
        String sessions = substitute(exprs(panel(panels, "DNSTT sessions")).get(0));
        String peaks = substitute(exprs(panel(panels, "DNSTT peak clients")).get(0));
        String active =
                substitute(exprs(panel(panels, "DNSTT active clients now")).get(0));
        String devices = substitute(exprs(panel(panels, "Known devices")).get(0));
        long sent = feeder.sessionsSent();
        AtomicReference<String> last = new AtomicReference<>("");
        AtomicReference<Map<Map<String, String>, Double>> settledPeaks = new AtomicReference<>();
        boolean settled = Waiting.upTo(Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
            Exposition own = Http.metrics(nodes.http[0]);
            Exposition cluster = Http.metrics(nodes.http[1], "/metrics?scope=cluster");
            Map<Map<String, String>, Double> nodePeaks = new TreeMap<>(Comparator.comparing(Object::toString));
            for (Exposition.Sample s : own.samples("dnstt_peak_clients")) {
                nodePeaks.put(s.labels(), s.value());
            }
            Map<Map<String, String>, Double> panelPeaks = new TreeMap<>(Comparator.comparing(Object::toString));
            for (Sample s : prometheus.query(peaks)) {
                panelPeaks.put(s.labels(), s.value());
            }
            double panelSessions = sum(prometheus.query(sessions));
            double panelActive = sum(prometheus.query(active));
            double clusterActive = cluster.samples("dnstt_active_clients").stream()
                    .mapToDouble(Exposition.Sample::value)
                    .sum();
            double panelDevices = sum(prometheus.query(devices));
            last.set(String.format(
                    "sessions: panel %s, sent %d; peaks: panel %s, node %s; active: panel %s, "
                            + "cluster %s, sent %d; devices: panel %s, sent %d",
                    panelSessions,
                    sent,
                    panelPeaks,
                    nodePeaks,
                    panelActive,
                    clusterActive,
                    sent,
                    panelDevices,
                    Feeder.LEASES));
            settledPeaks.set(nodePeaks);
            return panelSessions == sent
                    && panelPeaks.equals(nodePeaks)
                    && panelActive == sent
                    && clusterActive == sent
                    && panelDevices == Feeder.LEASES;
        });
        if (!settled) {
            fail("cluster-wide values on the dashboard differ from what was sent: " + last.get());
        }
        assertThat(settledPeaks.get()).as("peaks per country and ASN").hasSize(2);
        System.out.println("DashboardIT: " + last.get());
    }

    private static double sum(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::value).sum();
    }

    private static Map<String, Object> panel(List<Map<String, Object>> panels, String title) {
        return panels.stream()
                .filter(p -> title.equals(p.get("title")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the dashboard has no panel titled '" + title + "'"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Every panel, with the panels of collapsed rows after their row. */
    private static List<Map<String, Object>> flatten(Map<String, Object> dashboard) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.array(dashboard.get("panels"), "panels")) {
            Map<String, Object> p = Json.object(o, "panel");
            out.add(p);
            for (Object n : Json.array(p.getOrDefault("panels", List.of()), "panels of " + p.get("title"))) {
                out.add(Json.object(n, "panel in row " + p.get("title")));
            }
        }
        return out;
    }

    private static List<String> exprs(Map<String, Object> panel) {
        List<String> out = new ArrayList<>();
        for (Object t : Json.array(panel.getOrDefault("targets", List.of()), "targets")) {
            out.add(String.valueOf(Json.object(t, "target").get("expr")));
        }
        return out;
    }

    private static Map<String, Map<String, Object>> variables(Map<String, Object> dashboard) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> templating = Json.object(dashboard.get("templating"), "templating");
        for (Object o : Json.array(templating.get("list"), "templating.list")) {
            Map<String, Object> v = Json.object(o, "variable");
            out.put(String.valueOf(v.get("name")), v);
        }
        return out;
    }

    /** The query of a query variable, stored as a string or as the editor's object. */
    private static String variableQuery(Map<String, Object> variable) {
        Object q = variable.get("query");
        if (q instanceof Map<?, ?> m) {
            q = m.get("query");
        }
        assertThat(q).as("query of variable %s", variable.get("name")).isInstanceOf(String.class);
        return (String) q;
    }

    /** Replaces Grafana variables as Grafana would; a variable without a value here fails the test. */
    static String substitute(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = VARIABLES.get(name);
            if (value == null) {
                throw new AssertionError("no value for $" + name + " in: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static long number(Object o, String what) {
        assertThat(o).as(what).isInstanceOf(Double.class);
        double d = (Double) o;
        assertThat(d).as("%s is a whole number", what).isEqualTo(Math.rint(d));
        return (long) d;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One sample of an instant query. */
    record Sample(Map<String, String> labels, double value) {}

    // ------------------------------------------------------------------------------------------------ Prometheus

    /** A Prometheus server on a free loopback port with its own data directory, scraping every second. */
    static final class Prometheus implements AutoCloseable {
        private static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Process process;
        private final int port;
        private final Path log;

        private Prometheus(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        /** The Prometheus binary (Debian package {@code prometheus}); fails the test when it is missing. */
        static Path binary() {
            Path bin = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));
            if (!Files.isExecutable(bin)) {
                throw new AssertionError(bin + " is missing: this test needs a real Prometheus server, "
                        + "install the Debian package prometheus (apt-get install prometheus)");
            }
            return bin;
        }

        /**
         * Starts Prometheus scraping routerlog's /metrics on each of {@code httpPorts} every second. Each target
         * gets a {@code node} label of its own, as service discovery adds (pod, host), so a query that only drops
         * {@code instance} still shows one series per node. A second job, {@code routerlog-cluster}, scrapes the
         * first node again with {@code ?scope=cluster}, as a setup that also has a single-address view does: a
         * panel that does not select the job counts everything twice.
         */
        static Prometheus start(Path binary, Path dir, List<Integer> httpPorts) throws Exception {
            Files.createDirectories(dir.resolve("data"));
            StringBuilder config = new StringBuilder("""
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: routerlog
                        static_configs:
                    """);
            for (int i = 0; i < httpPorts.size(); i++) {
                config.append("      - targets: ['127.0.0.1:")
                        .append(httpPorts.get(i))
                        .append("']\n")
                        .append("        labels: {node: n")
                        .append(i)
                        .append("}\n");
            }
            config.append("""
                      - job_name: routerlog-cluster
                        params: {scope: [cluster]}
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(httpPorts.get(0)));
            Path configFile = dir.resolve("prometheus.yml");
            Files.writeString(configFile, config);
            Path log = dir.resolve("prometheus.log");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Process p = Command.of(
                            binary.toString(),
                            "--config.file=" + configFile,
                            "--storage.tsdb.path=" + dir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port,
                            "--log.level=warn")
                    .start(log);
            Prometheus prometheus = new Prometheus(p, port, log);
            boolean ready = Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                if (!p.isAlive()) {
                    String out = Files.readString(log);
                    prometheus.close();
                    throw new AssertionError("prometheus exited with " + p.exitValue() + ":\n" + out);
                }
                try {
                    return prometheus.get("/-/ready").statusCode() == 200;
                } catch (IOException notYet) {
                    return false; // not listening yet
                }
            });
            if (ready) {
                return prometheus;
            }
            String out = Files.readString(log);
            prometheus.close();
            throw new AssertionError("prometheus did not become ready:\n" + out);
        }

        void awaitTargetsUp(int n, Duration timeout) throws Exception {
            AtomicReference<List<Sample>> up = new AtomicReference<>(List.of());
            boolean scraped = Waiting.upTo(timeout, Duration.ofMillis(250), () -> {
                up.set(query("up{job=~\"routerlog|routerlog-cluster\"} == 1"));
                return up.get().size() == n;
            });
            if (!scraped) {
                throw new AssertionError("Prometheus does not scrape " + n + " routerlog targets, up: " + up.get()
                        + "\n" + Files.readString(log));
            }
        }

        HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Evaluates an instant query now; a query Prometheus rejects fails the test. */
        List<Sample> query(String expr) throws IOException, InterruptedException {
            Map<String, Object> data =
                    data(get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)), expr);
            List<Sample> out = new ArrayList<>();
            String type = String.valueOf(data.get("resultType"));
            if (type.equals("scalar")) {
                out.add(new Sample(Map.of(), value(data.get("result"))));
            } else if (type.equals("vector")) {
                for (Object o : Json.array(data.get("result"), "result")) {
                    Map<String, Object> r = Json.object(o, "result");
                    Map<String, String> labels = new TreeMap<>();
                    Json.object(r.get("metric"), "metric").forEach((k, v) -> labels.put(k, String.valueOf(v)));
                    out.add(new Sample(labels, value(r.get("value"))));
                }
            } else {
                throw new AssertionError("unexpected result type " + type + " for: " + expr);
            }
            return out;
        }

        /** Values of a {@code label_values(metric, label)} variable query, as Grafana asks for them. */
        List<String> labelValues(String variableQuery) throws IOException, InterruptedException {
            Matcher m = Pattern.compile("label_values\\(\\s*(.+)\\s*,\\s*(\\w+)\\s*\\)")
                    .matcher(variableQuery);
            assertThat(m.matches())
                    .as("a label_values(metric, label) query: %s", variableQuery)
                    .isTrue();
            Object result = data(
                    get("/api/v1/label/" + m.group(2) + "/values?match[]="
                            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)),
                    variableQuery);
            List<String> out = new ArrayList<>();
            for (Object o : Json.array(result, "label values")) {
                out.add(String.valueOf(o));
            }
            return out;
        }

        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // the caller knows the JSON's shape
        private static <T> T data(HttpResponse<String> r, String what) {
            Object body;
            try {
                body = Json.parse(r.body());
            } catch (IllegalArgumentException e) {
                throw new AssertionError(
                        "Prometheus answered " + r.statusCode() + " with no JSON for: " + what + "\n" + r.body(), e);
            }
            Map<String, Object> m = Json.object(body, "answer");
            if (r.statusCode() != 200 || !"success".equals(m.get("status"))) {
                throw new AssertionError(
                        "Prometheus rejected: " + what + "\n" + m.get("errorType") + ": " + m.get("error"));
            }
            return (T) m.get("data");
        }

        private static double value(Object pair) {
            String v = String.valueOf(Json.array(pair, "value").get(1));
            return switch (v) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(v);
            };
        }

        @Override
        public void close() {
            Command.stop(process, Duration.ofSeconds(30));
        }
    }

    // ------------------------------------------------------------------------------------------------ traffic

    /**
     * Sends OpenWrt logd-style syslog to the two nodes until closed: dnsmasq queries of several clients and types,
     * reply lines of every kind, DHCPACKs, DNSTT queries through a British and an Australian resolver (a new
     * session every round until paused), and a frame that is not syslog. Node 0 gets one long-lived TCP
     * connection, as logd keeps it; node 1 gets UDP.
     */
    static final class Feeder implements AutoCloseable {
        static final String NO_HOSTNAME = "192.168.1.22";
        static final String NO_HOSTNAME_MAC = "02:00:00:00:00:22";
        static final int LEASES = 3;
        private static final String DNS = "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1234]: ";
        private static final String DHCP = "<30>Jan  5 02:03:04 OpenWrt dnsmasq-dhcp[1234]: ";
        private static final String[] TCP_CLIENTS = {CLIENT, "192.168.1.21", NO_HOSTNAME};
        private static final String[] UDP_CLIENTS = {UNLEASED, "fd00::99"};
        private static final String[] DOMAINS = {
            "example.com",
            "www.example.org",
            "api.example.net",
            "cdn.example.test",
            "mail.example.com",
            "ads.doubleclick.test",
            "printer.lan",
            "nope.invalid.test",
            "broken.example.test",
            "refused.example.test"
        };
        private static final String[] QTYPES = {"A", "AAAA", "HTTPS"};
        private static final String CHURN_CLIENT = "192.168.1.40";
        private static final int CHURN_PER_ROUND = 8;
        private static final String[] RESOLVERS = {"81.2.69.160", "1.128.0.53"};

        private final int udpPort;
        private final Socket tcp;
        private final OutputStream out;
        private final Thread thread;
        private final Object lock = new Object();
        private final Set<Long> sessions = new LinkedHashSet<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean running = true;
        private boolean paused;
        private long round;
        private long queryId = 1;

        Feeder(int tcpPort, int udpPort) throws IOException {
            this.udpPort = udpPort;
            tcp = new Socket();
            tcp.setTcpNoDelay(true);
            tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 2000);
            out = tcp.getOutputStream();
            thread = new Thread(this::run, "dashboard-feeder");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    synchronized (lock) {
                        round();
                    }
                    Thread.sleep(500);
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private void round() throws IOException, InterruptedException {
            StringBuilder lines = new StringBuilder();
            List<String> datagrams = new ArrayList<>();
            for (int d = 0; d < DOMAINS.length; d++) {
                for (String c : TCP_CLIENTS) {
                    lines.append(query(c, DOMAINS[d], QTYPES[d % 2])).append('\n');
                }
                for (String c : UDP_CLIENTS) {
                    datagrams.add(query(c, DOMAINS[d], QTYPES[(d + 1) % 3]));
                }
            }
            lines.append(query(CLIENT, "video.example.com", "HTTPS")).append('\n');
            // new names every round, so that the store (--max-pairs 271) fills and evicts
            for (int i = 0; i < CHURN_PER_ROUND; i++) {
                lines.append(query(CHURN_CLIENT, "churn" + round + "-" + i + ".example.test", "A"))
                        .append('\n');
            }
            for (String reply : List.of(
                    "forwarded example.com to 1.1.1.1",
                    "reply example.com is 93.184.216.34",
                    "cached www.example.org is 198.51.100.7",
                    "cached-stale api.example.net is 198.51.100.8",
                    "config ads.doubleclick.test is 0.0.0.0",
                    "config ads.doubleclick.test is ::",
                    "config printer.lan is 192.168.1.5",
                    "reply nope.invalid.test is NXDOMAIN",
                    "reply www.example.org is NODATA-IPv6",
                    "reply broken.example.test is SERVFAIL",
                    "reply refused.example.test is REFUSED",
                    "reply mail.example.com is 4")) {
                lines.append(DNS)
                        .append(queryId++)
                        .append(" 192.168.1.21/40000 ")
                        .append(reply)
                        .append('\n');
            }
            lines.append(DHCP)
                    .append("DHCPACK(br-lan) ")
                    .append(CLIENT)
                    .append(' ')
                    .append(CLIENT_MAC)
                    .append(' ')
                    .append(CLIENT_HOSTNAME)
                    .append('\n');
            lines.append(DHCP).append("DHCPACK(br-lan) 192.168.1.21 02:00:00:00:00:21 phone\n");
            lines.append(DHCP)
                    .append("DHCPACK(br-lan) ")
                    .append(NO_HOSTNAME)
                    .append(' ')
                    .append(NO_HOSTNAME_MAC)
                    .append('\n');

            // DNSTT: four long-lived sessions, two per resolver, and a new one each round
            List<Long> ids = new ArrayList<>(List.of(0x1001L, 0x1002L, 0x1003L, 0x1004L));
            if (!paused) {
                ids.add(0x2000L + round);
            }
            for (long id : ids) {
                String resolver = RESOLVERS[(int) (id % 2)];
                String name = round % 3 == 0
                        ? DnsttClientNames.data(id, ("round " + round).getBytes(StandardCharsets.UTF_8), DOMAIN)
                        : DnsttClientNames.poll(id, DOMAIN);
                lines.append(query(resolver, name, "TXT")).append('\n');
            }
            lines.append(query(RESOLVERS[0], "www." + DOMAIN, "TXT")).append('\n'); // under the domain, no session

            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            sessions.addAll(ids);
            datagrams.add("this is not syslog"); // bad_pri
            Senders.udp(udpPort, datagrams);
            round++;
        }

        private String query(String from, String name, String qtype) {
            return DNS + queryId++ + " " + from + "/53000 query[" + qtype + "] " + name + " from " + from;
        }

        /** Stops starting new DNSTT sessions (after the round in progress); the rest goes on. */
        void pauseNewSessions() {
            synchronized (lock) {
                paused = true;
            }
        }

        /** Distinct DNSTT sessions sent so far. */
        long sessionsSent() {
            synchronized (lock) {
                return sessions.size();
            }
        }

        Throwable failure() {
            return failure.get();
        }

        @Override
        public void close() throws IOException {
            running = false;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tcp.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ JSON

    /** A strict JSON reader (RFC 8259): objects as maps (a key twice is an error), arrays, strings, doubles. */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            j.space();
            Object v = j.value();
            j.space();
            if (j.i != text.length()) {
                throw j.error("trailing text");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object o, String what) {
            if (!(o instanceof Map)) {
                throw new AssertionError(what + " is not a JSON object: " + o);
            }
            return (Map<String, Object>) o;
        }

        @SuppressWarnings("unchecked")
        static List<Object> array(Object o, String what) {
            if (!(o instanceof List)) {
                throw new AssertionError(what + " is not a JSON array: " + o);
            }
            return (List<Object>) o;
        }

        private Object value() {
            if (i >= s.length()) {
                throw error("value expected");
            }
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> obj();
                case '[' -> arr();
                case '"' -> str();
                case 't' -> literal("true", true);
                case 'f' -> literal("false", false);
                case 'n' -> literal("null", null);
                default -> num();
            };
        }

        private Map<String, Object> obj() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            space();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw error("key expected");
                }
                String k = str();
                space();
                expect(':');
                space();
                if (m.containsKey(k)) {
                    throw error("key \"" + k + "\" twice");
                }
                m.put(k, value());
                space();
                char c = next();
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    throw error("',' or '}' expected");
                }
            }
        }

        private List<Object> arr() {
            List<Object> l = new ArrayList<>();
            i++;
            space();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                space();
                l.add(value());
                space();
                char c = next();
                if (c == ']') {
                    return l;
                }
                if (c != ',') {
                    throw error("',' or ']' expected");
                }
            }
        }

        private String str() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Double num() {
            Matcher m = NUMBER.matcher(s);
            if (!m.find(i) || m.start() != i || m.end() == i) {
                throw error("value expected");
            }
            i = m.end();
            return Double.valueOf(m.group());
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, i)) {
                throw error("value expected");
            }
            i += word.length();
            return value;
        }

        private void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw error("'" + c + "' expected");
            }
        }

        private IllegalArgumentException error(String what) {
            int line = 1;
            for (int k = 0; k < Math.min(i, s.length()); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                }
            }
            return new IllegalArgumentException("invalid JSON at line " + line + ": " + what);
        }
    }
}
