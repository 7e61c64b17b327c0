package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerlog.export.BasicAuth;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.NodeFeed;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Waiting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code routerlog top} and {@code routerlog queries} against a whole node in this JVM with basic auth, fed dnsmasq
 * lines over real TCP syslog: the tables and JSON the commands print are what was sent, and the node's refusals
 * come out as one line with exit code 1.
 */
@ExtendWith(NettyLeakCheck.class)
class ClientAgainstNodeTest {
    private static final String USER = "admin";
    private static final String PASSWORD = "cli pass 1";
    private static final String CLIENT = "192.168.1.50";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The frames each test starts with: queries, an extra-mode query and its blocked reply, a DHCPACK. */
    private static final List<String> LINES = List.of(
            "r1 dnsmasq[1]: query[A] github.com from " + CLIENT,
            "r1 dnsmasq[1]: query[A] github.com from " + CLIENT,
            "r1 dnsmasq[1]: query[A] github.com from " + CLIENT,
            "r1 dnsmasq[1]: query[A] example.org from " + CLIENT,
            "r2 dnsmasq[1]: query[A] github.com from " + CLIENT,
            "r1 dnsmasq-dhcp[1]: DHCPACK(br-lan) " + CLIENT + " aa:bb:cc:dd:ee:ff laptop",
            "r1 dnsmasq[1]: 11 " + CLIENT + "/40000 query[A] ads.example.net from " + CLIENT,
            "r1 dnsmasq[1]: 11 " + CLIENT + "/40000 config ads.example.net is 0.0.0.0",
            "r2 dnsmasq[1]: query[A] github.com from " + CLIENT,
            "r2 dnsmasq[1]: query[HTTPS] example.org from " + CLIENT,
            "r1 dnsmasq[1]: query[AAAA] github.com from " + CLIENT);

    /** Queries sent per router, domain and query type. */
    private static final Map<List<String>, Integer> SENT = Map.of(
            List.of("r1", "github.com", "A"), 3,
            List.of("r1", "example.org", "A"), 1,
            List.of("r1", "ads.example.net", "A"), 1,
            List.of("r1", "github.com", "AAAA"), 1,
            List.of("r2", "github.com", "A"), 2,
            List.of("r2", "example.org", "HTTPS"), 1);

    private RouterLog node;
    private String url;
    private NodeFeed feed;

    @BeforeEach
    void start() throws Exception {
        node = RouterLog.start(RouterLogTest.settings(
                "--cluster-name",
                "cli-test-" + UUID.randomUUID(),
                "--cluster-port",
                Integer.toString(RouterLogProcess.freePortForUdpAndTcp()),
                "--cluster-interface",
                "127.0.0.1",
                "--http-user",
                USER,
                "--http-password-hash",
                BasicAuth.hash(PASSWORD.toCharArray())));
        url = "http://127.0.0.1:" + node.httpPort();
        feed = new NodeFeed(node);
        send(LINES);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Sends {@code lines} on one TCP connection, waits until the node has read them, and flushes. */
    private void send(List<String> lines) throws Exception {
        feed.send("<30>Dec  2 10:00:00 ", lines);
    }

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static final Map<String, String> LOGGED_IN = Map.of("ROUTERLOG_PASSWORD", PASSWORD, "COLUMNS", "100");

    private Result run(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", url, "--user", USER));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void topTablesShowWhatWasSent() {
        Result domains = run(LOGGED_IN, "top", "domains");
        assertThat(domains.err()).isEmpty();
        assertThat(domains.code()).isZero();
        // the same address behind two routers is two clients
        assertThat(domains.lines())
                .containsExactly(
                        "QUERIES  CLIENTS  DOMAIN",
                        "      6        2  github.com",
                        "      2        2  example.org",
                        "      1        1  ads.example.net");

        Result blocked = run(LOGGED_IN, "top", "domains", "--outcome", "blocked");
        assertThat(blocked.code()).isZero();
        assertThat(blocked.lines()).containsExactly("QUERIES  CLIENTS  DOMAIN", "      1        1  ads.example.net");

        Result clients = run(LOGGED_IN, "top", "clients");
        assertThat(clients.err()).isEmpty();
        assertThat(clients.code()).isZero();
        // the DHCPACK came from r1: r2's client with the same address has no identity
        assertThat(clients.lines())
                .containsExactly(
                        "QUERIES  DOMAINS  ROUTER  CLIENT        MAC                HOSTNAME",
                        "      6        3  r1      192.168.1.50  aa:bb:cc:dd:ee:ff  laptop",
                        "      3        2  r2      192.168.1.50");

        Result r2 = run(LOGGED_IN, "top", "clients", "--router", "r2", "--domain", "github.com");
        assertThat(r2.lines())
                .containsExactly("QUERIES  DOMAINS  ROUTER  CLIENT", "      2        1  r2      192.168.1.50");
    }

    @Test
    void queriesAsTableAndAsJson() throws Exception {
        Result json = run(LOGGED_IN, "queries", "--json", "--limit", "100");
        assertThat(json.err()).isEmpty();
        assertThat(json.code()).isZero();
        JsonNode doc = JSON.readTree(json.out());
        List<JsonNode> items = new ArrayList<>();
        doc.get("items").forEach(items::add);
        Map<List<String>, Integer> counted = new HashMap<>();
        for (JsonNode item : items) {
            assertThat(OffsetDateTime.parse(item.get("time").asText())).isNotNull();
            assertThat(item.get("client").asText()).isEqualTo(CLIENT);
            counted.merge(
                    List.of(
                            item.get("router").asText(),
                            item.get("domain").asText(),
                            item.get("qtype").asText()),
                    1,
                    Integer::sum);
        }
        assertThat(counted).isEqualTo(SENT);
        // newest first, in the order they were sent
        assertThat(items.subList(0, 4))
                .extracting(i -> i.get("router").asText() + " " + i.get("qtype").asText() + " "
                        + i.get("domain").asText())
                .containsExactly(
                        "r1 AAAA github.com", "r2 HTTPS example.org", "r2 A github.com", "r1 A ads.example.net");

        Result table = run(LOGGED_IN, "queries", "--limit", "4");
        assertThat(table.err()).isEmpty();
        assertThat(table.code()).isZero();
        // the latest four, oldest first, in local time
        List<String> times = new ArrayList<>();
        for (int i = 3; i >= 0; i--) {
            times.add(local(items.get(i).get("time").asText()));
        }
        String time = "%-" + times.get(0).length() + "s";
        assertThat(table.lines())
                .containsExactly(
                        String.format(time, "TIME") + "  ROUTER  CLIENT        TYPE   DOMAIN",
                        times.get(0) + "  r1      192.168.1.50  A      ads.example.net",
                        times.get(1) + "  r2      192.168.1.50  A      github.com",
                        times.get(2) + "  r2      192.168.1.50  HTTPS  example.org",
                        times.get(3) + "  r1      192.168.1.50  AAAA   github.com");

        Result filtered = run(LOGGED_IN, "queries", "--json", "--router", "r2", "--qtype", "HTTPS");
        assertThat(JSON.readTree(filtered.out()).get("items"))
                .singleElement()
                .satisfies(i -> assertThat(i.get("domain").asText()).isEqualTo("example.org"));
        Result byText = run(LOGGED_IN, "queries", "--json", "--client", CLIENT, "--domain", "example");
        assertThat(JSON.readTree(byText.out()).get("items"))
                .extracting(i -> i.get("domain").asText())
                .containsExactly("example.org", "ads.example.net", "example.org");
    }

    /** An API time as {@code routerlog queries} shows it: local time, with the date when not today. */
    private static String local(String iso) {
        ZonedDateTime t = OffsetDateTime.parse(iso).atZoneSameInstant(ZoneId.systemDefault());
        return DateTimeFormatter.ofPattern(
                        t.toLocalDate().equals(LocalDate.now(ZoneId.systemDefault()))
                                ? "HH:mm:ss"
                                : "yyyy-MM-dd HH:mm:ss")
                .format(t);
    }

    @Test
    void refusalsAreOneLineWithExitCode1() {
        Result wrong = run(Map.of("ROUTERLOG_PASSWORD", "not the password"), "top", "domains");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.out()).isEmpty();
        assertThat(wrong.err()).isEqualTo("routerlog: authentication failed" + System.lineSeparator());
        StringWriter noUserErr = new StringWriter();
        int noUser = Main.run(
                new String[] {"top", "clients", "--url", url},
                Map.of(),
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(noUserErr, true));
        assertThat(noUser).isEqualTo(1);
        assertThat(noUserErr.toString()).startsWith("routerlog: authentication failed: the node wants a user");

        Result badLimit = run(LOGGED_IN, "queries", "--limit", "5000");
        assertThat(badLimit.code()).isEqualTo(1);
        assertThat(badLimit.out()).isEmpty();
        assertThat(badLimit.err())
                .isEqualTo("routerlog: limit must be a number from 1 to 1000: 5000" + System.lineSeparator());

        Result badOutcome = run(LOGGED_IN, "top", "domains", "--outcome", "nope");
        assertThat(badOutcome.code()).isEqualTo(1);
        assertThat(badOutcome.err())
                .startsWith("routerlog: outcome must be one of ")
                .endsWith(": nope" + System.lineSeparator());
    }

    @Test
    void followPrintsWhatArrivesAndStopsWhenInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        String[] args = {"queries", "--follow", "--interval", "100ms", "--limit", "2", "--url", url, "--user", USER};
        Thread tail = new Thread(
                () -> code.set(Main.run(args, LOGGED_IN, new PrintWriter(out, true), new PrintWriter(err, true))),
                "routerlog-test-follow");
        tail.start();
        try {
            Waiting.atMost(Duration.ofSeconds(10), Duration.ofMillis(20))
                    .until(() -> out.toString().lines().count() == 3);
            send(List.of("r2 dnsmasq[1]: query[MX] late.example.com from 192.168.1.51"));
            Waiting.atMost(Duration.ofSeconds(10), Duration.ofMillis(20))
                    .until(() -> out.toString().contains("late.example.com"));
        } finally {
            tail.interrupt();
            tail.join(5000);
        }
        assertThat(tail.isAlive()).as("the tail stopped when interrupted").isFalse();
        assertThat(code.get()).isZero();
        assertThat(err.toString()).isEmpty();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("TIME +ROUTER +CLIENT +TYPE +DOMAIN");
        assertThat(lines.get(1)).endsWith("  r2      192.168.1.50  HTTPS  example.org");
        assertThat(lines.get(2)).endsWith("  r1      192.168.1.50  AAAA   github.com");
        assertThat(lines.get(3)).endsWith("  r2      192.168.1.51  MX     late.example.com");
    }
}
