package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.Transport;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.GeoFixtures;
import io.routerlog.testing.Http;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** DNSTT query lines from several resolvers, through syslog, to exact dnstt_* values on /metrics. */
class DnsttEndToEndTest {
    private static final String DOMAIN = "t.example.com";

    @Test
    void generatedTunnelTrafficGivesExactMetrics() throws Exception {
        try (RouterLog node = RouterLog.start(
                RouterLogTest.settings("--dnstt-domain", DOMAIN, "--dnstt-domain", "other.tunnel.test"))) {
            String[] resolvers = {"192.0.2.53", "198.51.100.7", "2001:db8::53"};
            long[] sessions = {0x0123456789abcdefL, 0x1111111111111111L, 0xfedcba9876543210L, 42L, -1L};
            StringBuilder lines = new StringBuilder();
            long queries = 0;
            long bytes = 0;
            int serial = 0;
            for (int round = 0; round < 20; round++) {
                for (int s = 0; s < sessions.length; s++) {
                    String resolver = resolvers[(round + s) % resolvers.length];
                    String name = round % 3 == 0
                            ? DnsttClientNames.data(
                                    sessions[s], ("packet " + round).getBytes(StandardCharsets.UTF_8), DOMAIN)
                            : DnsttClientNames.poll(sessions[s], DOMAIN);
                    if (round % 4 == 1) {
                        name = name.toUpperCase(Locale.ROOT) + "."; // as dnsmasq 2.90 logs some clients
                    }
                    lines.append("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: ")
                            .append(++serial)
                            .append(' ')
                            .append(resolver)
                            .append("/5353 query[TXT] ")
                            .append(name)
                            .append(" from ")
                            .append(resolver)
                            .append('\n');
                    queries++;
                    bytes += DnsttClientNames.queryBytes(
                            name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
                }
            }
            // names under the domain that are not dnstt queries, and a big data query over several labels
            for (String bad : List.of("www." + DOMAIN, DOMAIN, "aerukz4jvpg6." + DOMAIN, "not-base32!." + DOMAIN)) {
                lines.append("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] ")
                        .append(bad)
                        .append(" from 192.0.2.53\n");
            }
            String big = DnsttClientNames.data(7L, new byte[120], DOMAIN);
            assertThat(big.split("\\.").length).isGreaterThan(4);
            lines.append("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[TXT] ")
                    .append(big)
                    .append(" from 192.0.2.53\n");
            queries++;
            bytes += DnsttClientNames.queryBytes(big);
            Senders.tcp(node.syslogPort(), lines.toString());

            long expectedMessages = 20L * sessions.length + 5;
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> node.counters().messageCount(Transport.TCP) >= expectedMessages);
            node.flush();
            Exposition m = Http.metrics(node.httpPort());
            assertThat(m.value("dnstt_queries_total", "domain", DOMAIN)).isEqualTo((double) queries);
            assertThat(m.value("dnstt_bytes_in_total", "domain", DOMAIN)).isEqualTo((double) bytes);
            assertThat(m.value("dnstt_sessions_total", "domain", DOMAIN)).isEqualTo(6);
            assertThat(m.value("dnstt_active_clients", "domain", DOMAIN)).isEqualTo(6);
            assertThat(m.value("dnstt_peak_clients", "domain", DOMAIN)).isEqualTo(6);
            assertThat(m.value("routerlog_dnstt_invalid_queries_total", "domain", DOMAIN))
                    .isEqualTo(4);
            // the other configured tunnel is there, at zero
            assertThat(m.value("dnstt_queries_total", "domain", "other.tunnel.test"))
                    .isZero();
            assertThat(m.value("dnstt_active_clients", "domain", "other.tunnel.test"))
                    .isZero();
            // and the query counts keep one series per resolver, not one per random name
            assertThat(m.queryCounts().keySet()).allMatch(k -> k.contains(" " + DOMAIN + " "));
            assertThat(m.queryCounts()).containsEntry("192.0.2.53 " + DOMAIN + " A", 4L);
        }
    }

    @Test
    void geoIpDatabasesAddCountryAndAsnLabels(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path[] db = GeoFixtures.write(dir);
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--dnstt-domain",
                DOMAIN,
                "--geoip-country-db",
                db[0].toString(),
                "--geoip-asn-db",
                db[1].toString()))) {
            StringBuilder lines = new StringBuilder();
            // two sessions through a British resolver, one through an Australian, one through an unmapped one
            String[][] traffic = {
                {"81.2.69.160", "1"}, {"81.2.69.161", "2"}, {"81.2.69.160", "1"},
                {"1.128.0.53", "3"}, {"2001:db8::53", "4"}, {"2001:db8::53", "4"}
            };
            for (String[] t : traffic) {
                lines.append("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[TXT] ")
                        .append(DnsttClientNames.poll(Long.parseLong(t[1]), DOMAIN))
                        .append(" from ")
                        .append(t[0])
                        .append('\n');
            }
            lines.append("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[TXT] junk.")
                    .append(DOMAIN)
                    .append(" from 1.128.0.53\n");
            Senders.tcp(node.syslogPort(), lines.toString());
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> node.counters().messageCount(Transport.TCP) >= traffic.length + 1);
            node.flush();
            Exposition m = Http.metrics(node.httpPort());
            String[] gb = {"domain", DOMAIN, "country", "GB", "asn", "20712"};
            String[] au = {"domain", DOMAIN, "country", "AU", "asn", "1221"};
            String[] zz = {"domain", DOMAIN, "country", "ZZ", "asn", "0"};
            assertThat(m.value("dnstt_queries_total", gb)).isEqualTo(3);
            assertThat(m.value("dnstt_queries_total", au)).isEqualTo(1);
            assertThat(m.value("dnstt_queries_total", zz)).isEqualTo(2);
            assertThat(m.value("dnstt_sessions_total", gb)).isEqualTo(2);
            assertThat(m.value("dnstt_sessions_total", zz)).isEqualTo(1);
            assertThat(m.value("dnstt_active_clients", gb)).isEqualTo(2);
            assertThat(m.value("dnstt_active_clients", au)).isEqualTo(1);
            assertThat(m.value("dnstt_peak_clients", zz)).isEqualTo(1);
            assertThat(m.value("routerlog_dnstt_invalid_queries_total", au)).isEqualTo(1);
            long poll = DnsttClientNames.queryBytes(DnsttClientNames.poll(1, DOMAIN));
            assertThat(m.value("dnstt_bytes_in_total", gb)).isEqualTo((double) (3 * poll));
            for (String metric : List.of(
                    "dnstt_queries_total",
                    "dnstt_bytes_in_total",
                    "dnstt_sessions_total",
                    "dnstt_active_clients",
                    "dnstt_peak_clients")) {
                assertThat(m.samples(metric))
                        .as(metric)
                        .allSatisfy(x -> assertThat(x.labels()).containsOnlyKeys("domain", "country", "asn"));
            }
        }
    }
}
