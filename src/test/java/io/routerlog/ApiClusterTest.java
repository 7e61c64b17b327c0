package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routerlog.config.TlsFiles;
import io.routerlog.export.BasicAuth;
import io.routerlog.stats.Transport;
import io.routerlog.testing.Certificates;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API of a cluster of three whole nodes in this JVM (real Hazelcast members on loopback), fed dnsmasq
 * lines over real UDP and TCP syslog, asked over HTTPS with basic auth: every node gives the same answers, which
 * match a ground truth computed here from the lines sent.
 */
class ApiClusterTest {
    private static final String USER = "api";
    private static final String PASSWORD = "api pass 1";
    private static final String TUNNEL = "t.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static final List<RouterLog> nodes = new ArrayList<>();
    private static HttpClient https;
    private static Instant started;

    /** Ground truth: queries per router, client, domain, query type. */
    private static final Map<List<String>, Long> truth = new HashMap<>();

    private static final Map<String, List<String>> identities = Map.of(
            "192.168.1.1", List.of("aa:bb:cc:00:00:01", "laptop"),
            "192.168.1.2", List.of("aa:bb:cc:00:00:02", "phone"));

    @BeforeAll
    static void startClusterAndSend() throws Exception {
        started = Instant.now();
        Certificates pki = Certificates.in(dir);
        Certificates.Issued ca = pki.ca("ca", "routerlog test CA");
        pki.signed("server", "server", "IP:127.0.0.1,DNS:localhost", ca);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, TlsFiles.trustManagers(dir.resolve("ca.pem")).getTrustManagers(), null);
        https = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        String hash = BasicAuth.hash(PASSWORD.toCharArray());
        String name = "api-test-" + UUID.randomUUID();
        int[] ports = new int[3];
        for (int i = 0; i < 3; i++) {
            ports[i] = RouterLogProcess.freePortForUdpAndTcp();
        }
        String members =
                java.util.Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            nodes.add(RouterLog.start(RouterLogTest.settings(
                    "--cluster-name",
                    name,
                    "--cluster-port",
                    Integer.toString(ports[i]),
                    "--cluster-interface",
                    "127.0.0.1",
                    "--cluster-members",
                    members,
                    "--dnstt-domain",
                    TUNNEL,
                    // a session sent at the start is checked as active: a window longer than the class's run
                    "--dnstt-active-window",
                    "15m",
                    "--tls-cert",
                    dir.resolve("server.pem").toString(),
                    "--tls-key",
                    dir.resolve("server.key").toString(),
                    "--http-tls",
                    "--http-user",
                    USER,
                    "--http-password-hash",
                    hash)));
        }
        assertThat(Waiting.upTo(
                        Duration.ofSeconds(60),
                        Duration.ofMillis(100),
                        () -> nodes.stream().allMatch(n -> n.store().clusterSize() == 3)))
                .as("the cluster formed")
                .isTrue();

        // queries spread over the three nodes, every third line to each, over UDP and TCP
        Random random = new Random(42);
        List<List<String>> lines = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        String[] qtypes = {"A", "AAAA", "HTTPS"};
        int n = 0;
        for (int c = 1; c <= 6; c++) {
            for (int d = 0; d < 15; d++) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                String domain = "d" + d + ".example.com";
                int times = 1 + random.nextInt(d < 3 ? 20 : 4);
                for (int t = 0; t < times; t++) {
                    String qtype = qtypes[random.nextInt(qtypes.length)];
                    String client = "192.168.1." + c;
                    // mixed case and a final dot are stored lower case without the dot, as for the metrics
                    String asked = (t % 5 == 4 ? domain.toUpperCase(java.util.Locale.ROOT) + "." : domain);
                    lines.get(n++ % 3)
                            .add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[" + qtype + "] " + asked + " from "
                                    + client);
                    truth.merge(List.of("OpenWrt", client, domain, qtype), 1L, Long::sum);
                }
            }
        }
        // a DNSTT poll counts under the tunnel domain
        lines.get(0)
                .add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[TXT] " + DnsttClientNames.poll(7, TUNNEL)
                        + " from 192.168.1.9");
        truth.merge(List.of("OpenWrt", "192.168.1.9", TUNNEL, "TXT"), 1L, Long::sum);
        // a second router hands out an address the first one has too: another client
        for (int t = 0; t < 3; t++) {
            lines.get(t).add("<30>Jan  5 12:34:56 ap2 dnsmasq[1]: query[A] d0.example.com from 192.168.1.1");
            truth.merge(List.of("ap2", "192.168.1.1", "d0.example.com", "A"), 1L, Long::sum);
        }
        // replies, DHCP
        lines.get(1).add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: reply d0.example.com is 93.184.216.34");
        lines.get(1).add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: reply d1.example.com is 93.184.216.35");
        lines.get(2).add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: cached d2.example.com is 93.184.216.36");
        // log-queries=extra names the client of a reply
        lines.get(0)
                .add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: 7 192.168.1.1/52765 reply d0.example.com is "
                        + "93.184.216.34");
        lines.get(1)
                .add("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: 8 192.168.1.1/52766 reply nope.example.com is "
                        + "NXDOMAIN");
        identities.forEach((ip, id) -> lines.get(2)
                .add("<30>Jan  5 12:34:56 OpenWrt dnsmasq-dhcp[1]: DHCPACK(br-lan) " + ip + " " + id.get(0) + " "
                        + id.get(1)));

        for (int i = 0; i < 3; i++) {
            List<String> mine = lines.get(i);
            int half = mine.size() / 2;
            Senders.udp(nodes.get(i).syslogPort(), mine.subList(0, half));
            Senders.tcp(nodes.get(i).syslogPort(), String.join("\n", mine.subList(half, mine.size())) + "\n");
            RouterLog node = nodes.get(i);
            assertThat(Waiting.upTo(
                            Duration.ofSeconds(20),
                            Duration.ofMillis(20),
                            () -> node.counters().messageCount(Transport.TCP)
                                            + node.counters().messageCount(Transport.UDP)
                                    >= mine.size()))
                    .as("node %d received its lines", i)
                    .isTrue();
        }
        nodes.forEach(RouterLog::flush);
    }

    @AfterAll
    static void stopCluster() {
        nodes.forEach(RouterLog::close);
    }

    private static HttpResponse<String> get(int node, String path, boolean authorized) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + nodes.get(node).httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (authorized) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer of {@code path}, checked to be the same JSON on all three nodes. */
    private static JsonNode json(String path) throws Exception {
        JsonNode first = null;
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(i, path, true);
            assertThat(r.statusCode())
                    .as("%s on node %d: %s", path, i, r.body())
                    .isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
            JsonNode body = JSON.readTree(r.body());
            if (body instanceof ObjectNode o) {
                o.remove("queryRate"); // node-local: each node samples on its own
            }
            if (first == null) {
                first = body;
            } else {
                assertThat(body).as("%s on node %d", path, i).isEqualTo(first);
            }
        }
        return java.util.Objects.requireNonNull(first);
    }

    private static long total(java.util.function.Predicate<List<String>> which) {
        return truth.entrySet().stream()
                .filter(e -> which.test(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Ground truth of the top domains among the pairs {@code which} keeps: [domain, queries, clients]. */
    private static List<List<Object>> topDomains(java.util.function.Predicate<List<String>> which, int limit) {
        Map<String, Long> queries = new TreeMap<>();
        Map<String, Set<String>> clients = new HashMap<>();
        truth.forEach((k, v) -> {
            if (which.test(k)) {
                queries.merge(k.get(2), v, Long::sum);
                clients.computeIfAbsent(k.get(2), x -> new HashSet<>()).add(k.get(0) + " " + k.get(1));
            }
        });
        return queries.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> List.<Object>of(
                        e.getKey(),
                        e.getValue(),
                        java.util.Objects.requireNonNull(clients.get(e.getKey()))
                                .size()))
                .toList();
    }

    private static List<List<Object>> domainItems(JsonNode body) {
        List<List<Object>> out = new ArrayList<>();
        body.get("items")
                .forEach(i -> out.add(List.of(
                        i.get("domain").asText(),
                        i.get("queries").asLong(),
                        i.get("clients").asInt())));
        return out;
    }

    private static void awaitAllCounted() throws Exception {
        long expected = total(k -> true);
        assertThat(Waiting.upTo(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(100),
                        () -> json("/api/v1/summary").get("queries").asLong() == expected))
                .as("all %d queries are stored", expected)
                .isTrue();
    }

    @Test
    void topDomainsAreTheGroundTruthOnEveryNode() throws Exception {
        awaitAllCounted();
        assertThat(domainItems(json("/api/v1/top/domains"))).isEqualTo(topDomains(k -> true, 10));
        assertThat(domainItems(json("/api/v1/top/domains?limit=3"))).isEqualTo(topDomains(k -> true, 3));
        assertThat(domainItems(json("/api/v1/top/domains?limit=1000"))).isEqualTo(topDomains(k -> true, 1000));
        assertThat(domainItems(json("/api/v1/top/domains?client=192.168.1.2&limit=5")))
                .isEqualTo(topDomains(k -> k.get(1).equals("192.168.1.2"), 5));
        assertThat(domainItems(json("/api/v1/top/domains?client=192.168.1.1&router=ap2")))
                .containsExactly(List.of("d0.example.com", 3L, 1));
        assertThat(domainItems(json("/api/v1/top/domains?router=OpenWrt&limit=1000")))
                .isEqualTo(topDomains(k -> k.get(0).equals("OpenWrt"), 1000));
        assertThat(domainItems(json("/api/v1/top/domains?client=10.99.0.1"))).isEmpty();
        // replies per domain: clients counts only the replies that named one
        assertThat(domainItems(json("/api/v1/top/domains?outcome=answered")))
                .containsExactly(List.of("d0.example.com", 2L, 1), List.of("d1.example.com", 1L, 0));
        assertThat(domainItems(json("/api/v1/top/domains?outcome=nxdomain&client=192.168.1.1&router=OpenWrt")))
                .containsExactly(List.of("nope.example.com", 1L, 1));
        assertThat(domainItems(json("/api/v1/top/domains?outcome=cached")))
                .containsExactly(List.of("d2.example.com", 1L, 0));
        assertThat(domainItems(json("/api/v1/top/domains?router=elsewhere"))).isEmpty();
    }

    /** The queries per minute of the last minutes, as {@code node} answers them. */
    private static long activity(int node, String query) throws Exception {
        HttpResponse<String> r = get(node, "/api/v1/activity?minutes=30" + query, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("stepSeconds").asInt()).isEqualTo(60);
        assertThat(body.get("queries")).hasSize(30);
        long start = Instant.parse(body.get("start").asText()).toEpochMilli();
        assertThat(start % 60_000).isZero();
        assertThat(System.currentTimeMillis() - start).isBetween(29 * 60_000L, 31 * 60_000L);
        long sum = 0;
        for (JsonNode n : body.get("queries")) {
            sum += n.asLong();
        }
        return sum;
    }

    @Test
    void activityPerMinuteAddsUpToTheGroundTruthOnEveryNode() throws Exception {
        awaitAllCounted();
        for (int i = 0; i < 3; i++) {
            assertThat(activity(i, "")).as("node %d", i).isEqualTo(total(k -> true));
            assertThat(activity(i, "&router=ap2")).isEqualTo(total(k -> k.get(0).equals("ap2")));
            assertThat(activity(i, "&client=192.168.1.1&router=OpenWrt"))
                    .isEqualTo(total(k -> k.get(0).equals("OpenWrt") && k.get(1).equals("192.168.1.1")));
            // without a router: the address on every router that has it
            assertThat(activity(i, "&client=192.168.1.1"))
                    .isEqualTo(total(k -> k.get(1).equals("192.168.1.1")));
            assertThat(activity(i, "&client=10.99.0.1")).isZero();
        }
        assertThat(get(0, "/api/v1/activity?minutes=1441", true).statusCode()).isEqualTo(400);
        assertThat(get(0, "/api/v1/activity?minutes=0", true).body())
                .isEqualTo("{\"error\":\"minutes must be a number from 1 to 1440: 0\"}");
    }

    @Test
    void theOverviewIsTheSummaryAndTheTopListsInOne() throws Exception {
        awaitAllCounted();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(i, "/api/v1/overview?limit=5", true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode overview = JSON.readTree(r.body());
            ObjectNode summary = (ObjectNode) overview.get("summary");
            summary.remove("queryRate");
            assertThat(summary).isEqualTo(json("/api/v1/summary"));
            ObjectNode domains = JSON.createObjectNode();
            domains.set("items", overview.get("domains"));
            assertThat(domainItems(domains)).isEqualTo(topDomains(k -> true, 5));
            assertThat(overview.get("clients"))
                    .isEqualTo(json("/api/v1/top/clients?limit=5").get("items"));
        }
    }

    @Test
    void recentTunnelSessionsListEachSession() throws Exception {
        awaitAllCounted();
        JsonNode items = json("/api/v1/dnstt/sessions/recent").get("items");
        assertThat(items).hasSize(1);
        JsonNode s = items.get(0);
        assertThat(s.get("domain").asText()).isEqualTo(TUNNEL);
        assertThat(s.get("session").asText()).isEqualTo("0000000000000007");
        assertThat(s.get("country").isNull()).isTrue();
        // the one session carries all of its domain's queries and bytes
        JsonNode domain = json("/api/v1/dnstt/sessions").get("items").get(0);
        assertThat(domain.get("queries").asLong()).isPositive();
        assertThat(s.get("queries").asLong()).isEqualTo(domain.get("queries").asLong());
        assertThat(s.get("bytesIn").asLong()).isEqualTo(domain.get("bytesIn").asLong());
        assertThat(Instant.parse(s.get("lastSeen").asText()))
                .isAfterOrEqualTo(Instant.parse(s.get("firstSeen").asText()));
    }

    @Test
    void everyNodeListsTheMembersAndItsOwnHealth() throws Exception {
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(i, "/api/v1/cluster", true);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("members")).hasSize(3);
            List<String> local = new ArrayList<>();
            body.get("members").forEach(m -> {
                addresses.add(m.get("address").asText());
                if (m.get("local").asBoolean()) {
                    local.add(m.get("address").asText());
                }
                assertThat(m.get("ingest").asBoolean()).isFalse();
            });
            assertThat(local).containsExactly(body.get("node").asText());
            assertThat(body.get("node").asText())
                    .isEqualTo(
                            "127.0.0.1:" + nodes.get(i).store().memberAddress().getPort());
            assertThat(body.get("lastFlush").isNull()).isFalse();
            assertThat(body.get("drops").isObject()).isTrue();
        }
        assertThat(addresses).hasSize(3);
    }

    @Test
    void topClientsAreTheGroundTruthWithTheirIdentities() throws Exception {
        awaitAllCounted();
        JsonNode body = json("/api/v1/top/clients?limit=1000");
        Map<String, Long> queries = new HashMap<>();
        Map<String, Set<String>> domains = new HashMap<>();
        truth.forEach((k, v) -> {
            queries.merge(k.get(0) + " " + k.get(1), v, Long::sum);
            domains.computeIfAbsent(k.get(0) + " " + k.get(1), x -> new HashSet<>())
                    .add(k.get(2));
        });
        assertThat(body.get("items")).hasSize(queries.size());
        long previous = Long.MAX_VALUE;
        for (JsonNode item : body.get("items")) {
            String client =
                    item.get("router").asText() + " " + item.get("client").asText();
            assertThat(item.get("queries").asLong()).as(client).isEqualTo(queries.get(client));
            assertThat(item.get("domains").asInt())
                    .as(client)
                    .isEqualTo(java.util.Objects.requireNonNull(domains.get(client))
                            .size());
            assertThat(item.get("queries").asLong()).isLessThanOrEqualTo(previous);
            previous = item.get("queries").asLong();
            List<String> id = item.get("router").asText().equals("OpenWrt")
                    ? identities.get(item.get("client").asText())
                    : null;
            assertThat(item.get("mac").isNull() ? null : item.get("mac").asText())
                    .isEqualTo(id == null ? null : id.get(0));
            assertThat(
                            item.get("hostname").isNull()
                                    ? null
                                    : item.get("hostname").asText())
                    .isEqualTo(id == null ? null : id.get(1));
            // the flush that carried its queries, a moment ago
            Instant last = Instant.parse(item.get("lastSeen").asText());
            assertThat(Duration.between(last, Instant.now())).isBetween(Duration.ZERO, Duration.ofMinutes(5));
        }
        assertThat(json("/api/v1/top/clients?limit=2").get("items")).hasSize(2);
        JsonNode d0 = json("/api/v1/top/clients?domain=D0.Example.com.&limit=1000");
        long sum = 0;
        for (JsonNode item : d0.get("items")) {
            String router = item.get("router").asText();
            String client = item.get("client").asText();
            long expected = total(k -> k.get(0).equals(router)
                    && k.get(1).equals(client)
                    && k.get(2).equals("d0.example.com"));
            assertThat(item.get("queries").asLong()).isEqualTo(expected);
            assertThat(item.get("domains").asInt()).isEqualTo(1);
            sum += expected;
        }
        assertThat(sum).isEqualTo(total(k -> k.get(2).equals("d0.example.com")));
        assertThat(json("/api/v1/top/clients?router=ap2").get("items")).hasSize(1);
    }

    @Test
    void oneClientHasItsDomainsQueryTypesIdentityAndSightings() throws Exception {
        awaitAllCounted();
        JsonNode c = json("/api/v1/clients/192.168.1.1?limit=2");
        assertThat(c.get("client").asText()).isEqualTo("192.168.1.1");
        assertThat(c.get("router").asText()).isEqualTo("OpenWrt");
        assertThat(c.get("routers").toString()).isEqualTo("[\"OpenWrt\",\"ap2\"]");
        JsonNode other = json("/api/v1/clients/192.168.1.1?router=ap2");
        assertThat(other.get("router").asText()).isEqualTo("ap2");
        assertThat(other.get("queries").asLong()).isEqualTo(3);
        assertThat(other.get("mac").isNull()).isTrue();
        assertThat(other.get("qtypes").toString()).isEqualTo("{\"A\":3}");
        assertThat(other.get("outcomes").toString()).isEqualTo("{}");
        assertThat(c.get("mac").asText()).isEqualTo("aa:bb:cc:00:00:01");
        assertThat(c.get("hostname").asText()).isEqualTo("laptop");
        assertThat(c.get("queries").asLong())
                .isEqualTo(total(k -> k.get(0).equals("OpenWrt") && k.get(1).equals("192.168.1.1")));
        assertThat(domainItems(wrap(c.get("domains"))))
                .isEqualTo(
                        topDomains(k -> k.get(0).equals("OpenWrt") && k.get(1).equals("192.168.1.1"), 2));
        Map<String, Long> qtypes = new TreeMap<>();
        truth.forEach((k, v) -> {
            if (k.get(0).equals("OpenWrt") && k.get(1).equals("192.168.1.1")) {
                qtypes.merge(k.get(3), v, Long::sum);
            }
        });
        Map<String, Long> got = new TreeMap<>();
        c.get("qtypes")
                .properties()
                .forEach(e -> got.put(e.getKey(), e.getValue().asLong()));
        assertThat(got).isEqualTo(qtypes);
        assertThat(c.get("outcomes").toString()).isEqualTo("{\"answered\":1,\"nxdomain\":1}");
        assertThat(c.get("domainCount").asInt())
                .isEqualTo(
                        topDomains(k -> k.get(0).equals("OpenWrt") && k.get(1).equals("192.168.1.1"), 1000)
                                .size());
        Instant first = Instant.parse(c.get("firstSeen").asText());
        Instant last = Instant.parse(c.get("lastSeen").asText());
        assertThat(c.get("firstSeen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(first).isBetween(started, Instant.now()).isBeforeOrEqualTo(last);
        assertThat(last).isBeforeOrEqualTo(Instant.now());
        assertThat(json("/api/v1/clients/192.168.1.1").get("domains"))
                .hasSize(c.get("domainCount").asInt());

        HttpResponse<String> missing = get(1, "/api/v1/clients/10.99.0.1", true);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no queries from 10.99.0.1 are stored\"}");
        assertThat(get(1, "/api/v1/clients/192.168.1.2?router=ap2", true).body())
                .isEqualTo("{\"error\":\"no queries from 192.168.1.2 of router ap2 are stored\"}");
    }

    /** The domains of a client as the items of top/domains, with the client count of one. */
    private static JsonNode wrap(JsonNode domains) {
        ObjectNode body = JSON.createObjectNode();
        var items = body.putArray("items");
        domains.forEach(d -> items.addObject()
                .put("domain", d.get("domain").asText())
                .put("queries", d.get("queries").asLong())
                .put("clients", 1));
        return body;
    }

    @Test
    void summaryHasTheClusterTotals() throws Exception {
        awaitAllCounted();
        JsonNode s = json("/api/v1/summary");
        assertThat(s.get("members").asInt()).isEqualTo(3);
        assertThat(s.get("version").asText()).isNotEmpty();
        assertThat(s.get("queries").asLong()).isEqualTo(total(k -> true));
        assertThat(s.get("pairs").asLong()).isEqualTo(truth.size());
        assertThat(s.get("clients").asLong())
                .isEqualTo(truth.keySet().stream()
                        .map(k -> k.get(0) + " " + k.get(1))
                        .distinct()
                        .count());
        assertThat(s.get("outcomes").get("answered").asLong()).isEqualTo(3);
        assertThat(s.get("outcomes").get("nxdomain").asLong()).isEqualTo(1);
        assertThat(s.get("outcomes").get("cached").asLong()).isEqualTo(1);
        assertThat(s.get("outcomes").get("servfail").asLong()).isZero();
        assertThat(s.get("dhcpIdentities").asInt()).isEqualTo(identities.size());
        assertThat(s.get("dnsttSessions").asInt()).isEqualTo(1);
        JsonNode rate = JSON.readTree(get(0, "/api/v1/summary", true).body()).get("queryRate");
        assertThat(rate.has("perSecond")).isTrue();
        assertThat(rate.has("seconds")).isTrue();
    }

    @Test
    void dnsttSessionsAreWhatTheMetricsExport() throws Exception {
        awaitAllCounted();
        JsonNode items = json("/api/v1/dnstt/sessions").get("items");
        assertThat(items).hasSize(1);
        JsonNode t = items.get(0);
        assertThat(t.get("domain").asText()).isEqualTo(TUNNEL);
        assertThat(t.get("country").isNull()).isTrue();
        assertThat(t.get("queries").asLong()).isEqualTo(1);
        assertThat(t.get("sessions").asLong()).isEqualTo(1);
        assertThat(t.get("active").asLong()).isEqualTo(1);
        assertThat(t.get("invalid").asLong()).isZero();
        assertThat(t.get("bytesIn").asLong()).isPositive();
    }

    @Test
    void theQueryLogHasEveryQueryNewestFirstAndPages() throws Exception {
        awaitAllCounted();
        long all = total(k -> true);
        assertThat(Waiting.upTo(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(100),
                        () -> json("/api/v1/queries?limit=1000").get("items").size() == all))
                .as("the query log holds all %d queries", all)
                .isTrue();
        JsonNode page = json("/api/v1/queries?limit=1000");
        Map<List<String>, Long> logged = new HashMap<>();
        String previous = "9999";
        for (JsonNode q : page.get("items")) {
            logged.merge(
                    List.of(
                            q.get("router").asText(),
                            q.get("client").asText(),
                            q.get("domain").asText(),
                            q.get("qtype").asText()),
                    1L,
                    Long::sum);
            assertThat(q.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*\\.\\d{3}Z");
            assertThat(q.get("time").asText()).isLessThanOrEqualTo(previous);
            previous = q.get("time").asText();
        }
        assertThat(logged).isEqualTo(truth);
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(json("/api/v1/queries?limit=1000&client=192.168.1.2&qtype=aaaa")
                        .get("items"))
                .hasSize((int)
                        total(k -> k.get(1).equals("192.168.1.2") && k.get(3).equals("AAAA")));
        assertThat(json("/api/v1/queries?limit=1000&router=ap2").get("items")).hasSize(3);
        // pages: five, then the five before them, none twice
        JsonNode first = json("/api/v1/queries?limit=5");
        assertThat(first.get("items")).hasSize(5);
        JsonNode second =
                json("/api/v1/queries?limit=5&before=" + first.get("next").asText());
        assertThat(second.get("items")).hasSize(5);
        assertThat(second.get("items").get(0).get("time").asText())
                .isLessThanOrEqualTo(first.get("items").get(4).get("time").asText());
        assertThat(json("/api/v1/queries?after=" + first.get("newest").asText()).get("items"))
                .isEmpty();
        HttpResponse<String> bad = get(0, "/api/v1/queries?before=nonsense", true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).isNotEmpty();
    }

    @Test
    void badParametersAre400WithOneLineOfJson() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("/api/v1/top/domains?limit=abc", "limit must be a number from 1 to 1000: abc");
        bad.put("/api/v1/top/domains?limit=0", "limit must be a number from 1 to 1000: 0");
        bad.put("/api/v1/top/domains?limit=1001", "limit must be a number from 1 to 1000: 1001");
        bad.put("/api/v1/top/domains?limit=-1", "limit must be a number from 1 to 1000: -1");
        bad.put("/api/v1/top/domains?limit=", "limit must be a number from 1 to 1000: ");
        bad.put("/api/v1/top/domains?limit=1&limit=2", "limit is given more than once");
        bad.put(
                "/api/v1/top/domains?domain=x",
                "unknown parameter: domain (this path takes client, limit, outcome, router)");
        bad.put(
                "/api/v1/top/domains?outcome=maybe",
                "outcome must be one of forwarded, answered, nxdomain, nodata, servfail, refused, error, cached, "
                        + "cached_stale, blocked, local, truncated, duplicate, bogus: maybe");
        bad.put("/api/v1/top/domains?client=a%20b", "client must be a client address as the metrics show it: a b");
        bad.put("/api/v1/top/domains?router=", "router must be a router name as the metrics show it: ");
        bad.put("/api/v1/top/clients?domain=", "domain must be a name of 1 to 253 characters: ");
        bad.put(
                "/api/v1/top/clients?domain=" + "a".repeat(254),
                "domain must be a name of 1 to 253 characters: " + "a".repeat(100) + "...");
        bad.put("/api/v1/clients/192.168.1.1?limit=x", "limit must be a number from 1 to 1000: x");
        bad.put("/api/v1/clients/192.168.1.1?client=x", "unknown parameter: client (this path takes limit, router)");
        bad.put("/api/v1/summary?x=1", "unknown parameter: x (this path takes none)");
        bad.put("/api/v1/dnstt/sessions?limit=1", "unknown parameter: limit (this path takes none)");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<String> r = get(0, e.getKey(), true);
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
            assertThat(JSON.readTree(r.body()).get("error").asText())
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(r.body()).doesNotContain("\n");
        }
    }

    @Test
    void unknownPathsAre404InJson() throws Exception {
        for (String path : List.of("/api/v1/nothing", "/api/v1", "/api/v1/top", "/api/v1/clients/")) {
            HttpResponse<String> r = get(2, path, true);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("no such path: " + path);
        }
        // outside the API, the plain answer stays
        assertThat(get(2, "/nothing", true).body()).isEqualTo("not found\n");
        HttpResponse<String> post = https.send(
                HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + nodes.get(2).httpPort() + "/api/v1/summary"))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("{\"error\":\"method not allowed: POST\"}");
    }

    @Test
    void theApiNeedsTheLoginAndServesOnlyHttps() throws Exception {
        for (String path : List.of("/api/v1/summary", "/api/v1/top/domains", "/api/v1/clients/192.168.1.1")) {
            HttpResponse<String> r = get(0, path, false);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(get(0, path, true).statusCode()).as(path).isEqualTo(200);
        }
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + nodes.get(0).httpPort() + "/api/v1/summary"))
                .timeout(Duration.ofSeconds(10))
                .build();
        int status;
        try {
            status = plain.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException refused) {
            status = -1;
        }
        assertThat(status).as("plain HTTP gets no API answer").isNotEqualTo(200);
    }
}
