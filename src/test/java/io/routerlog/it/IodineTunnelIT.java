package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routerlog.testing.DnsQuery;
import io.routerlog.testing.IodineTunnel;
import io.routerlog.testing.OrdinaryTraffic;
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
}
