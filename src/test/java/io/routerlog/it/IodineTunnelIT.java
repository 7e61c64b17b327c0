package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerlog.testing.DnsQuery;
import io.routerlog.testing.Http;
import io.routerlog.testing.IodineTunnel;
import io.routerlog.testing.OrdinaryTraffic;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iodine fixture: a real iodine tunnel through a real dnsmasq, with ordinary lookups beside it, logs plenty of
 * tunnel queries and every ordinary one. Needs root, iodine, dnsmasq, dig and busybox.
 */
class IodineTunnelIT {
    @Test
    void tunnelAndOrdinaryLookupsShareOneLog(@TempDir Path dir) throws Exception {
        List<String> missing = IodineTunnel.missing();
        // .ci/run installs what it needs (and sets RELAY_TESTS_REQUIRED): there a missing tool fails the test
        if (System.getenv("RELAY_TESTS_REQUIRED") != null) {
            assertThat(missing).as("what the iodine test needs").isEmpty();
        }
        assumeTrue(missing.isEmpty(), "needs " + missing);
        List<DnsQuery> ordinary = OrdinaryTraffic.home(1, Instant.parse("2026-12-01T18:00:00Z"), Duration.ofMinutes(3));
        ordinary = ordinary.subList(0, Math.min(150, ordinary.size()));

        IodineTunnel.Capture c = IodineTunnel.run(dir, Duration.ofSeconds(12), ordinary);

        Map<String, List<DnsQuery>> byPattern = c.queries().stream().collect(Collectors.groupingBy(DnsQuery::pattern));
        List<DnsQuery> tunnel = byPattern.getOrDefault("iodine", List.of());
        assertThat(tunnel).as(c.iodineOutput()).hasSizeGreaterThan(100);
        assertThat(tunnel).allSatisfy(q -> assertThat(q.client()).isEqualTo("127.0.0.1"));
        assertThat(tunnel.stream().map(DnsQuery::qtype).distinct()).containsExactly("NULL");
        // the handshake is printable (version, login, the case check); the data, in Base128, is not
        List<String> printable = tunnel.stream()
                .map(DnsQuery::name)
                .filter(n -> n.endsWith("." + IodineTunnel.DOMAIN))
                .toList();
        assertThat(printable)
                .anyMatch(n -> n.startsWith("v"))
                .anyMatch(n -> n.startsWith("l"))
                .anyMatch(n -> n.contains("aAbBcC"));
        assertThat(tunnel.size() - printable.size()).isGreaterThan(100);
        // the ping went through the tunnel and came back
        assertThat(c.pingOutput()).containsPattern("[1-9]\\d* packets received");
        // every ordinary lookup was logged, from its own address, with its name and type
        List<String> asked =
                ordinary.stream().map(q -> q.qtype() + " " + q.name()).sorted().toList();
        List<String> logged = byPattern.getOrDefault("ordinary", List.of()).stream()
                .map(q -> q.qtype() + " " + q.name())
                .sorted()
                .toList();
        assertThat(logged).isEqualTo(asked);
        assertThat(byPattern.get("ordinary").stream()
                        .map(DnsQuery::client)
                        .distinct()
                        .count())
                .isEqualTo(ordinary.stream().map(DnsQuery::client).distinct().count());
    }

    /**
     * The same capture sent to routerlog, which is not told the tunnel's domain: the tunnel's domain, and only it, is
     * a suspect, with the tunnel's client. Most of iodine's queries reach the log as {@code <name unprintable>}
     * (binary labels), and count for the domain its client asked printable NULL names under.
     */
    @Test
    void routerlogFlagsTheIodineTunnelAndNothingElse(@TempDir Path dir) throws Exception {
        List<String> missing = IodineTunnel.missing();
        if (System.getenv("RELAY_TESTS_REQUIRED") != null) {
            assertThat(missing).as("what the iodine test needs").isEmpty();
        }
        assumeTrue(missing.isEmpty(), "needs " + missing);
        List<DnsQuery> ordinary =
                OrdinaryTraffic.home(3, Instant.parse("2026-12-01T19:00:00Z"), Duration.ofMinutes(10));
        ordinary = ordinary.subList(0, Math.min(400, ordinary.size()));
        IodineTunnel.Capture c = IodineTunnel.run(dir, Duration.ofSeconds(8), ordinary);
        long tunnelQueries =
                c.queries().stream().filter(q -> q.pattern().equals("iodine")).count();

        try (RouterLogProcess r = RouterLogProcess.start()) {
            StringBuilder s = new StringBuilder();
            for (String m : c.messages()) {
                s.append("<30>Dec  2 10:00:00 OpenWrt dnsmasq[1]: ").append(m).append('\n');
            }
            Senders.tcp(r.syslogPort, s.toString());
            String expected = "routerlog_syslog_messages_total{transport=\"tcp\"} "
                    + c.messages().size() + ".0";
            assertThat(Waiting.upTo(
                            Duration.ofSeconds(30),
                            Duration.ofMillis(200),
                            () -> Http.get(r.httpPort, "/metrics").body().contains(expected)))
                    .as("routerlog received the %d lines", c.messages().size())
                    .isTrue();
            // the detection stats reach the store every 10 s
            JsonNode items = null;
            for (int i = 0; i < 150; i++) {
                items = new ObjectMapper()
                        .readTree(Http.get(r.httpPort, "/api/v1/suspects").body())
                        .get("items");
                if (items.size() > 0 && items.get(0).get("queries").asLong() == tunnelQueries) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(items).isNotNull();
            assertThat(items).as(String.valueOf(items)).hasSize(1);
            JsonNode suspect = items.get(0);
            assertThat(suspect.get("domain").asText()).isEqualTo("iodine.test");
            assertThat(suspect.get("clients").toString()).isEqualTo("[\"127.0.0.1\"]");
            assertThat(suspect.get("queries").asLong()).isEqualTo(tunnelQueries);
            assertThat(suspect.get("reasons").toString()).contains("unprintable names", "TXT/NULL queries");
        }
    }
}
