package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.NodeFeed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A whole node fed dnsmasq lines over TCP syslog, with tunnels among ordinary traffic and no {@code --dnstt-domain}:
 * {@code /api/v1/suspects} names exactly the tunnels' domains and their clients.
 */
@ExtendWith(NettyLeakCheck.class)
class SuspectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RouterLog node;
    private NodeFeed feed;

    @BeforeEach
    void start() throws Exception {
        node = RouterLog.start(RouterLogTest.settings("--suspect-allow", "allowed-tunnel.test"));
        feed = new NodeFeed(node);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void send(List<String> lines) throws Exception {
        feed.send("<30>Dec  2 10:00:00 OpenWrt dnsmasq[1]: ", lines);
    }

    private JsonNode suspects(String query) throws Exception {
        return JSON.readTree(
                Http.get(node.httpPort(), "/api/v1/suspects" + query).body());
    }

    /** Ordinary traffic of a few devices, with the shapes that resemble tunnels. */
    private static List<String> ordinary(Random r) {
        List<String> lines = new ArrayList<>();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 600; i++) {
            String client = "192.168.1." + (10 + r.nextInt(5));
            String name = switch (i % 8) {
                case 0 -> "www.google.com";
                case 1 -> "r" + r.nextInt(9) + "---sn-" + Long.toString(r.nextLong() >>> 30, 36) + ".googlevideo.com";
                case 2 -> "h" + Long.toHexString(r.nextLong()) + ".edge.cdn-example.net";
                case 3 -> {
                    StringBuilder b = new StringBuilder();
                    for (int c = 0; c < 32; c++) {
                        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
                    }
                    yield b + ".safeframe.googlesyndication.com";
                }
                case 4 -> r.nextInt(4) + ".pool.ntp.org";
                case 5 -> (r.nextInt(250) + 1) + "." + r.nextInt(250) + ".168.192.in-addr.arpa";
                case 6 -> "_airplay._tcp.local";
                default -> Long.toHexString(r.nextLong()) + ".4.3.2.1.zen.spamhaus.org";
            };
            String qtype = i % 8 == 5 ? "PTR" : i % 8 == 6 ? "SRV" : "A";
            lines.add("query[" + qtype + "] " + name + " from " + client);
        }
        return lines;
    }

    @Test
    void tunnelsAmongOrdinaryTrafficAreFlaggedWithTheirClientsAndNothingElse() throws Exception {
        Random r = new Random(11);
        List<String> lines = new ArrayList<>(ordinary(r));
        // an unconfigured dnstt tunnel from one device
        for (int i = 0; i < 150; i++) {
            byte[] data = new byte[r.nextInt(30, 110)];
            r.nextBytes(data);
            lines.add("query[TXT] "
                    + DnsttClientNames.data(42, data, "t.dnstt-tunnel.test").toLowerCase(Locale.ROOT)
                    + " from 192.168.1.66");
        }
        // hex exfiltration in A queries from two devices
        for (int i = 0; i < 120; i++) {
            byte[] chunk = new byte[24];
            r.nextBytes(chunk);
            lines.add("query[A] " + i + "." + HexFormat.of().formatHex(chunk) + ".exfil.example from 192.168.1."
                    + (i % 2 == 0 ? "77" : "78"));
        }
        // a tunnel the user accepts
        for (int i = 0; i < 150; i++) {
            byte[] data = new byte[60];
            r.nextBytes(data);
            lines.add("query[TXT] "
                    + DnsttClientNames.data(5, data, "t.allowed-tunnel.test").toLowerCase(Locale.ROOT)
                    + " from 192.168.1.10");
        }
        java.util.Collections.shuffle(lines, r);
        send(lines);

        JsonNode body = suspects("");
        TreeSet<String> domains = new TreeSet<>();
        body.get("items").forEach(i -> domains.add(i.get("domain").asText()));
        assertThat(domains).containsExactly("dnstt-tunnel.test", "exfil.example");
        for (JsonNode item : body.get("items")) {
            List<String> clients = new ArrayList<>();
            item.get("clients").forEach(c -> clients.add(c.asText()));
            if (item.get("domain").asText().equals("dnstt-tunnel.test")) {
                assertThat(clients).containsExactly("192.168.1.66");
                assertThat(item.get("queries").asLong()).isEqualTo(150);
                assertThat(item.get("reasons").toString()).contains("TXT/NULL queries", "long labels");
            } else {
                assertThat(clients).containsExactly("192.168.1.77", "192.168.1.78");
                assertThat(item.get("queries").asLong()).isEqualTo(120);
            }
            assertThat(item.get("score").asDouble()).isGreaterThanOrEqualTo(7);
            assertThat(item.get("first_seen").asText()).endsWith("Z");
            assertThat(item.get("bytes").asLong()).isPositive();
        }
        assertThat(body.get("window_seconds").asLong()).isEqualTo(3600);

        // for alerting: how many, and each one's score
        Exposition metrics =
                Exposition.parse(Http.get(node.httpPort(), "/metrics").body());
        assertThat(metrics.value("routerlog_dns_suspects")).isEqualTo(2.0);
        assertThat(metrics.value("routerlog_dns_suspect_score", "domain", "dnstt-tunnel.test"))
                .isEqualTo(
                        body.get("items").get(0).get("domain").asText().equals("dnstt-tunnel.test")
                                ? body.get("items").get(0).get("score").asDouble()
                                : body.get("items").get(1).get("score").asDouble());

        // the command line shows the same, highest score first
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"suspects", "--url", "http://127.0.0.1:" + node.httpPort()},
                Map.of("COLUMNS", "200"),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        List<String> table = out.toString().lines().toList();
        assertThat(table.get(0)).startsWith("SCORE").contains("QUERIES", "DOMAIN", "CLIENTS", "REASONS");
        assertThat(table).hasSize(3);
        assertThat(table.get(1)).contains(body.get("items").get(0).get("domain").asText());
        assertThat(String.join("\n", table))
                .contains("150  dnstt-tunnel.test  192.168.1.66")
                .contains("120  exfil.example")
                .contains("192.168.1.77 192.168.1.78");

        // the filters, and a lower score that shows what stayed below the threshold
        assertThat(suspects("?client=192.168.1.66").get("items")).hasSize(1);
        assertThat(suspects("?client=192.168.1.12").get("items")).isEmpty();
        JsonNode below = suspects("?min_score=0");
        List<String> all = new ArrayList<>();
        below.get("items").forEach(i -> all.add(i.get("domain").asText()));
        assertThat(all).contains("dnstt-tunnel.test", "exfil.example", "googlesyndication.com");
        assertThat(all).doesNotContain("allowed-tunnel.test", "spamhaus.org", "in-addr.arpa", "168.192.in-addr.arpa");
    }

    @Test
    void nxdomainRepliesCountForTheDomainOfTheirQuery() throws Exception {
        Random r = new Random(12);
        List<String> lines = new ArrayList<>();
        // with log-queries=extra dnsmasq ties each reply to its query's client: 40 names, each NXDOMAIN
        for (int i = 0; i < 40; i++) {
            String name = Long.toString(r.nextLong() >>> 1, 36) + ".nx-heavy.example";
            String id = (100 + i) + " 192.168.1.90/" + (40000 + i) + " ";
            lines.add(id + "query[A] " + name + " from 192.168.1.90");
            lines.add(id + "reply " + name + " is NXDOMAIN");
        }
        send(lines);
        List<JsonNode> found = new ArrayList<>();
        suspects("?min_score=0").get("items").forEach(i -> {
            if (i.get("domain").asText().equals("nx-heavy.example")) {
                found.add(i);
            }
        });
        assertThat(found).hasSize(1);
        JsonNode item = found.get(0);
        assertThat(item.get("nxdomain").asLong()).isEqualTo(40);
        assertThat(item.get("queries").asLong()).isEqualTo(40);
        assertThat(item.get("unique_names").asLong()).isEqualTo(40);
        assertThat(item.get("reasons").toString()).contains("many NXDOMAIN replies");
        assertThat(item.get("clients").toString()).isEqualTo("[\"192.168.1.90\"]");
        // random, but short names in A queries: below the threshold
        assertThat(suspects("").get("items")).isEmpty();
    }

    @Test
    void unprintableNamesCountForTheDomainTheirClientTunnelsThrough() throws Exception {
        List<String> lines = new ArrayList<>();
        // an 8-bit tunnel as dnsmasq logs it: a printable handshake under its domain, then binary data names
        lines.add("query[NULL] vaaaakavc5i.t.binary-tunnel.test from 192.168.1.95");
        lines.add("query[NULL] labctiyacq24bk3kkep1wvcfvcaekf4y.t.binary-tunnel.test from 192.168.1.95");
        for (int i = 0; i < 300; i++) {
            lines.add("query[NULL] <name unprintable> from 192.168.1.95");
        }
        // another client's unprintable A queries have no unusual printable name to go with: not attributed
        lines.add("query[A] www.example.org from 192.168.1.96");
        for (int i = 0; i < 50; i++) {
            lines.add("query[A] <name unprintable> from 192.168.1.96");
        }
        send(lines);
        JsonNode items = suspects("").get("items");
        assertThat(items).hasSize(1);
        JsonNode t = items.get(0);
        assertThat(t.get("domain").asText()).isEqualTo("binary-tunnel.test");
        assertThat(t.get("clients").toString()).isEqualTo("[\"192.168.1.95\"]");
        assertThat(t.get("queries").asLong()).isEqualTo(302);
        assertThat(t.get("unprintable_names").asLong()).isEqualTo(300);
        assertThat(t.get("unique_names").asLong()).isEqualTo(302);
        assertThat(t.get("reasons").toString()).contains("unprintable names", "TXT/NULL queries");
    }

    @Test
    void badParametersAreRefused() throws Exception {
        assertThat(Http.get(node.httpPort(), "/api/v1/suspects?min_score=abc").statusCode())
                .isEqualTo(400);
        assertThat(Http.get(node.httpPort(), "/api/v1/suspects?what=1").statusCode())
                .isEqualTo(400);
        assertThat(suspects("").get("items")).isEmpty();
    }
}
