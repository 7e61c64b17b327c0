package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.Transport;
import io.routerlog.store.LoggedQuery;
import io.routerlog.store.QueryLogFilter;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is stored and exported when clients are anonymized or names ignored, through a whole node. */
class PrivacyTest {
    private static final List<String> LINES = List.of(
            "dnsmasq[1]: query[A] www.example.com from 192.168.1.23",
            "dnsmasq[1]: query[A] www.example.com from 192.168.1.45",
            "dnsmasq[1]: query[AAAA] www.example.com from 2001:db8:1234:5678::1",
            "dnsmasq[1]: query[A] private.health.test from 192.168.1.23",
            "dnsmasq[1]: query[A] ads.tracker7.net from 192.168.1.23",
            "dnsmasq[1]: query[A] img.cdn.example.org from 192.168.1.23",
            "dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.23 aa:bb:cc:dd:ee:23 annas-phone");

    private static String scrapeEverything(RouterLog node) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String l : LINES) {
            lines.append("<30>Nov 22 01:59:47 OpenWrt ").append(l).append('\n');
        }
        Senders.tcp(node.syslogPort(), lines.toString());
        Waiting.upTo(
                Duration.ofSeconds(10),
                Duration.ofMillis(10),
                () -> node.counters().messageCount(Transport.TCP) >= LINES.size());
        node.flush();
        return Http.get(node.httpPort(), "/metrics?scope=cluster").body()
                + Http.get(node.httpPort(), "/clients.csv").body()
                + Http.get(node.httpPort(), "/clients.tsv").body()
                + queryLog(node);
    }

    /** Every entry of the query log, one a line; and the log has one per query line sent that was not ignored. */
    private static String queryLog(RouterLog node) {
        List<LoggedQuery> all = node.store()
                .queryLog()
                .search(QueryLogFilter.ALL, null, null, 1000)
                .items();
        assertThat(all).as("the query log").isNotEmpty();
        StringBuilder out = new StringBuilder();
        all.forEach(q -> out.append(q).append('\n'));
        return out.toString();
    }

    @Test
    void truncatedClientsAndNoDhcpIdentities() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--anonymize-clients", "truncate"))) {
            String everything = scrapeEverything(node);
            Exposition m = Http.metrics(node.httpPort());
            assertThat(everything).contains("client=192.168.1.0, domain=www.example.com");
            assertThat(m.queryCounts())
                    .containsEntry("192.168.1.0 www.example.com A", 2L)
                    .containsEntry("2001:db8:1234:: www.example.com AAAA", 1L);
            assertThat(m.samples("routerlog_dhcp_lease_info")).isEmpty();
            assertThat(everything)
                    .doesNotContain("192.168.1.23")
                    .doesNotContain("192.168.1.45")
                    .doesNotContain(":5678:") // the address's fourth group, in any form of it
                    .doesNotContain("aa:bb:cc:dd:ee:23")
                    .doesNotContain("annas-phone");
        }
    }

    @Test
    void hashedClientsAreStableAndDistinctAndRevealNothing() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--anonymize-clients", "hash", "--anonymize-key", "correct horse battery staple"))) {
            String everything = scrapeEverything(node);
            Map<String, Long> counts = Http.metrics(node.httpPort()).queryCounts();
            List<String> clients = counts.keySet().stream()
                    .map(k -> k.split(" ")[0])
                    .distinct()
                    .toList();
            assertThat(clients).hasSize(3).allMatch(c -> c.matches("anon-[0-9a-f]{16}"));
            assertThat(counts.keySet().stream().filter(k -> k.endsWith(" www.example.com A")))
                    .hasSize(2);
            assertThat(everything)
                    .doesNotContain("192.168.1.23")
                    .doesNotContain("2001:db8")
                    .doesNotContain("annas-phone")
                    .doesNotContain("correct horse");
        }
        try (RouterLog again = RouterLog.start(RouterLogTest.settings(
                        "--anonymize-clients", "hash", "--anonymize-key", "correct horse battery staple"));
                RouterLog otherKey = RouterLog.start(RouterLogTest.settings(
                        "--anonymize-clients", "hash", "--anonymize-key", "another sixteen characters"))) {
            scrapeEverything(again);
            scrapeEverything(otherKey);
            // the same key gives the same names across restarts; another key gives others
            assertThat(Http.metrics(again.httpPort()).queryCounts().keySet())
                    .isNotEqualTo(
                            Http.metrics(otherKey.httpPort()).queryCounts().keySet());
        }
    }

    @Test
    void ignoredNamesAreNeverStored() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--ignore-domain", "health.test", "--ignore-domain", "*.tracker?.net,*.cdn.*"))) {
            String everything = scrapeEverything(node);
            Exposition m = Http.metrics(node.httpPort());
            assertThat(m.queryCounts())
                    .containsOnlyKeys(
                            "192.168.1.23 www.example.com A",
                            "192.168.1.45 www.example.com A",
                            "2001:db8:1234:5678::1 www.example.com AAAA");
            assertThat(m.value("routerlog_dns_queries_ignored_total")).isEqualTo(3.0);
            assertThat(node.store()
                            .queryLog()
                            .search(QueryLogFilter.ALL, null, null, 1000)
                            .items())
                    .extracting(LoggedQuery::client, LoggedQuery::domain)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("192.168.1.23", "www.example.com"),
                            org.assertj.core.groups.Tuple.tuple("192.168.1.45", "www.example.com"),
                            org.assertj.core.groups.Tuple.tuple("2001:db8:1234:5678::1", "www.example.com"));
            assertThat(everything)
                    .doesNotContain("health.test")
                    .doesNotContain("tracker7")
                    .doesNotContain("cdn.example.org");
        }
    }
}
