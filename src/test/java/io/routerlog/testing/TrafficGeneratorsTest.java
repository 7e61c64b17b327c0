package io.routerlog.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tunnel and home-network generators: deterministic, in time order, and the shapes their classes describe. */
class TrafficGeneratorsTest {
    private static final Instant START = Instant.parse("2026-12-01T18:00:00Z");

    private static Map<String, List<DnsQuery>> byPattern(List<DnsQuery> qs) {
        return qs.stream().collect(Collectors.groupingBy(DnsQuery::pattern));
    }

    private static void assertTimeOrdered(List<DnsQuery> qs) {
        for (int i = 1; i < qs.size(); i++) {
            assertThat(qs.get(i).time()).isAfterOrEqualTo(qs.get(i - 1).time());
        }
    }

    @Test
    void sameSeedSameTrafficOtherSeedOther() {
        assertThat(TunnelTraffic.hour(7, START)).isEqualTo(TunnelTraffic.hour(7, START));
        assertThat(TunnelTraffic.hour(7, START)).isNotEqualTo(TunnelTraffic.hour(8, START));
        Duration d = Duration.ofMinutes(30);
        assertThat(OrdinaryTraffic.home(7, START, d)).isEqualTo(OrdinaryTraffic.home(7, START, d));
        assertThat(OrdinaryTraffic.home(7, START, d)).isNotEqualTo(OrdinaryTraffic.home(8, START, d));
    }

    @Test
    void dnsttNamesDecodeToOneClientIdAndAllAreTxt() {
        List<DnsQuery> qs =
                TunnelTraffic.dnstt(1, START, "192.168.1.66", "t.tunnel-a.example", 20_000, Duration.ofMinutes(2));
        assertTimeOrdered(qs);
        assertThat(qs).allSatisfy(q -> {
            assertThat(q.qtype()).isEqualTo("TXT");
            assertThat(q.name()).endsWith(".t.tunnel-a.example").hasSizeLessThanOrEqualTo(TunnelTraffic.MAX_NAME);
        });
        // the first 13 base32 characters carry the ClientID: one session
        assertThat(qs.stream().map(q -> q.name().substring(0, 13)).distinct()).hasSize(1);
        int chunk = TunnelTraffic.dnsttMaxData("t.tunnel-a.example");
        assertThat(chunk).isBetween(100, 223);
        long data = qs.stream().filter(q -> q.name().length() > 60).count();
        assertThat(data).isEqualTo((20_000 + chunk - 1) / chunk);
        // idle polls back off to 10 s: 2 minutes hold about 0.5+1+2+4+8 s and then one every 10 s
        List<DnsQuery> polls = qs.subList(qs.size() - 8, qs.size());
        assertThat(polls).allSatisfy(q -> assertThat(q.name()).hasSizeLessThan(60));
        assertThat(Duration.between(polls.get(6).time(), polls.get(7).time())).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void dnscat2IsHexInMixedTypes() {
        List<DnsQuery> qs =
                TunnelTraffic.dnscat2(2, START, "192.168.1.67", "c.tunnel-b.example", 8000, Duration.ofMinutes(1));
        assertTimeOrdered(qs);
        assertThat(qs.stream().map(DnsQuery::qtype).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("TXT", "CNAME", "MX");
        assertThat(qs).allSatisfy(q -> {
            String labels = q.name().substring(0, q.name().length() - ".c.tunnel-b.example".length());
            assertThat(labels).matches("[0-9a-f]{1,62}(\\.[0-9a-f]{1,62})*");
            assertThat(q.name()).hasSizeLessThanOrEqualTo(TunnelTraffic.MAX_NAME);
        });
        // about 60 polls in the idle minute
        assertThat(qs.stream().filter(q -> q.name().length() == 18 + 1 + 18)).hasSizeBetween(55, 61);
    }

    @Test
    void slowExfiltrationCarriesTheWholeFileSlowly() {
        for (TunnelTraffic.Encoding e : TunnelTraffic.Encoding.values()) {
            List<DnsQuery> qs = TunnelTraffic.slowExfiltration(
                    3, START, "192.168.1.68", "x.exfil-c.example", e, 4096, Duration.ofHours(1), 3);
            assertTimeOrdered(qs);
            String text = qs.stream()
                    .map(q -> q.name().substring(0, q.name().indexOf('.')))
                    .collect(Collectors.joining());
            // every label 40-60 characters but the file's last, which may be shorter
            assertThat(qs.subList(0, qs.size() - 1)).allSatisfy(q -> {
                assertThat(q.qtype()).isEqualTo("A");
                assertThat(q.name().indexOf('.')).isBetween(40, 60);
            });
            assertThat(qs.get(qs.size() - 1).name().indexOf('.')).isBetween(1, 60);
            assertThat(qs.stream().map(DnsQuery::name).distinct()).hasSize(qs.size());
            // the concatenated labels decode to a file of the asked size
            int decoded = switch (e) {
                case HEX -> HexFormat.of().parseHex(text).length;
                case BASE64URL -> Base64.getUrlDecoder().decode(text).length;
                case BASE32 -> text.length() * 5 / 8;
            };
            assertThat(decoded).isEqualTo(4096);
            double minutes =
                    Duration.between(qs.get(0).time(), qs.get(qs.size() - 1).time())
                                    .toSeconds()
                            / 60.0;
            assertThat(qs.size() / minutes).as("queries a minute").isBetween(1.5, 6.0);
        }
    }

    @Test
    void beaconRepeatsOneNameEveryMinute() {
        List<DnsQuery> qs = TunnelTraffic.beacon(
                4, START, "192.168.1.71", "beacon-f.example", Duration.ofHours(1), Duration.ofSeconds(60));
        assertThat(qs).hasSize(61);
        assertThat(qs.stream().map(DnsQuery::name).distinct()).hasSize(1);
        assertThat(qs.get(0).name()).matches("[a-z0-9]{20}\\.beacon-f\\.example");
        for (int i = 1; i < qs.size(); i++) {
            assertThat(Duration.between(qs.get(i - 1).time(), qs.get(i).time()))
                    .isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
        }
    }

    @Test
    void hourOfTunnelsKeepsEachToItsClientAndDomain() {
        List<DnsQuery> qs = TunnelTraffic.hour(5, START);
        assertTimeOrdered(qs);
        Map<String, Set<String>> domains = qs.stream()
                .collect(Collectors.groupingBy(
                        DnsQuery::client, Collectors.mapping(q -> q.suffix(2), Collectors.toSet())));
        assertThat(domains)
                .hasSize(6)
                .containsEntry("192.168.1.66", Set.of("tunnel-a.example"))
                .containsEntry("192.168.1.71", Set.of("beacon-f.example"));
        assertThat(byPattern(qs).keySet())
                .containsExactlyInAnyOrder(
                        "dnstt", "dnscat2", "exfil-base32", "exfil-hex", "exfil-base64url", "beacon");
    }

    @Test
    void homeNetworkHasEveryPatternInRealisticProportions() {
        List<DnsQuery> qs = OrdinaryTraffic.home(9, START, Duration.ofHours(3));
        assertTimeOrdered(qs);
        Map<String, List<DnsQuery>> p = byPattern(qs);
        assertThat(p.keySet())
                .containsExactlyInAnyOrder(
                        "popular",
                        "cdn-cloudfront",
                        "cdn-akamai",
                        "cdn-googlevideo",
                        "cdn-fbcdn",
                        "cdn-nflxvideo",
                        "adtech",
                        "av-sophos",
                        "av-eset",
                        "av-mcafee",
                        "dnsbl-ip",
                        "dnsbl-domain",
                        "reverse-v4",
                        "reverse-v6",
                        "many-short",
                        "dns-sd",
                        "windows",
                        "chromecast",
                        "smart-tv",
                        "chrome-probe",
                        "typo",
                        "iot-poll");
        // a few thousand queries an hour from nine devices, ordinary names the largest share
        assertThat(qs.size()).isBetween(3 * 2000, 3 * 12000);
        assertThat(qs.stream().map(DnsQuery::client).distinct()).hasSize(9);
        assertThat(p.get("popular").size()).isGreaterThan(qs.size() / 5);
        Function<String, List<String>> names =
                k -> p.get(k).stream().map(DnsQuery::name).toList();
        assertThat(names.apply("cdn-cloudfront")).allMatch(n -> n.matches("d[a-z0-9]{13}\\.cloudfront\\.net"));
        assertThat(names.apply("cdn-googlevideo"))
                .allMatch(n -> n.matches("rr[1-8]---sn-[a-z0-9]{8}\\.googlevideo\\.com"));
        assertThat(names.apply("adtech"))
                .anyMatch(n -> n.matches("[0-9a-f]{32}\\.safeframe\\.googlesyndication\\.com"));
        assertThat(names.apply("dnsbl-ip")).anyMatch(n -> n.matches("(\\d+\\.){4}zen\\.spamhaus\\.org"));
        assertThat(names.apply("reverse-v6")).allMatch(n -> n.matches("([0-9a-f]\\.){32}ip6\\.arpa"));
        assertThat(names.apply("chrome-probe")).allMatch(n -> n.matches("[a-z]{7,15}"));
        assertThat(names.apply("av-mcafee"))
                .allMatch(n -> n.matches("0\\.0\\.0\\.0\\.1\\.0\\.0\\.4e\\.[0-9a-f]{32}\\.avqs\\.mcafee\\.com"));
        // hashed names never repeat; CDN ids come from small pools and do
        assertThat(names.apply("av-sophos").stream().distinct().count())
                .isEqualTo(p.get("av-sophos").size());
        assertThat(names.apply("cdn-cloudfront").stream().distinct().count())
                .isLessThanOrEqualTo(40)
                .isLessThan(p.get("cdn-cloudfront").size());
        // the smart plug: the same readable name once a minute, 180 times in 3 hours
        assertThat(names.apply("iot-poll").stream().filter("a2.tuyaeu.com"::equals))
                .hasSize(180);
        assertThat(qs.get(0).logMessage()).matches("query\\[[A-Z]+\\] \\S+ from \\S+");
        assertThat(qs.get(0).syslogLine()).startsWith("<30>Dec  1 18:00:");
    }
}
