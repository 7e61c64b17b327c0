package io.routerlog.parser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.testing.DnsmasqChain;
import io.routerlog.testing.RecordingSink;
import io.routerlog.testing.RecordingSink.Query;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DnsmasqParserTest {
    private static final long NOW = DnsmasqChain.NOW;

    /** The query-log layouts: plain, log-queries=extra and log-queries=proto, IPv4 and IPv6 sources. */
    static final List<String> LAYOUTS = List.of(
            "",
            "3689 192.168.2.198/52226 ",
            "-3 192.168.2.198/52226 ",
            "12 ::1/52168 ",
            "13 fe80::1%br-lan/5353 ",
            "14 fd00::1a2b/40000 ",
            "UDP 3689 192.168.2.198/52226 ",
            "TCP -17 192.168.2.198/52226 ",
            "TCP 18 fe80::1%br-lan/5353 ",
            "UDP 19 ::1/52168 ");

    static final List<String> TAGS = List.of("dnsmasq[1]", "dnsmasq-dhcp[1]", "dnsmasq[2345]");

    private static Stream<Arguments> withLayoutsAndTags(List<Arguments> cases) {
        return cases.stream()
                .flatMap(c -> LAYOUTS.stream()
                        .flatMap(layout -> TAGS.stream().map(tag -> {
                            Object[] base = c.get();
                            Object[] args = new Object[base.length + 2];
                            args[0] = layout;
                            args[1] = tag;
                            System.arraycopy(base, 0, args, 2, base.length);
                            return Arguments.of(args);
                        })));
    }

    @Nested
    class Queries {
        static Stream<Arguments> queryLines() {
            return withLayoutsAndTags(List.of(
                    Arguments.of("query[A] google.com from 192.168.2.198", "192.168.2.198", "google.com", "A"),
                    Arguments.of("query[AAAA] example.com from ::1", "::1", "example.com", "AAAA"),
                    Arguments.of("query[HTTPS] example.com from fe80::1", "fe80::1", "example.com", "HTTPS"),
                    Arguments.of("query[A] WwW.ExAmPlE.CoM from 192.168.1.10", "192.168.1.10", "www.example.com", "A"),
                    Arguments.of(
                            "query[PTR] 34.216.184.93.in-addr.arpa. from 192.168.1.10",
                            "192.168.1.10",
                            "34.216.184.93.in-addr.arpa",
                            "PTR"),
                    Arguments.of(
                            "query[type=65] example.com from 192.168.1.10", "192.168.1.10", "example.com", "TYPE65"),
                    Arguments.of(
                            "query[type=12345] example.com from 192.168.1.10",
                            "192.168.1.10",
                            "example.com",
                            "TYPE12345"),
                    Arguments.of("query[NS] . from 192.168.1.10", "192.168.1.10", ".", "NS"),
                    Arguments.of(
                            "query[A] <name unprintable> from 192.168.1.10", "192.168.1.10", "<name unprintable>", "A"),
                    Arguments.of(
                            "query[TXT] AERUKZ4JVPG672FBUKR2JJNGU6UA.T.EXAMPLE.COM from 10.0.0.5",
                            "10.0.0.5",
                            "aerukz4jvpg672fbukr2jjngu6ua.t.example.com",
                            "TXT")));
        }

        @ParameterizedTest(name = "[{index}] {0}|{1}|{2}")
        @MethodSource("queryLines")
        void queryInEveryLayout(String layout, String tag, String message, String client, String domain, String qtype) {
            DnsmasqChain c = new DnsmasqChain().from(tag, layout + message);

            assertThat(c.onlyQuery()).isEqualTo(new Query(client, domain, qtype));
            c.assertOnlyLine(DnsmasqLineKind.QUERY);
        }

        @Test
        void trailingDotIsRemovedAndNameLowerCased() {
            DnsmasqChain c = new DnsmasqChain().dns("query[MX] MAIL.Example.ORG. from 192.168.1.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("192.168.1.10", "mail.example.org", "MX"));
        }

        @Test
        void emptyNameIsTheRoot() {
            DnsmasqChain c = new DnsmasqChain().dns("query[NS]  from 192.168.1.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("192.168.1.10", ".", "NS"));
        }

        @Test
        void shortTypeEqualsIsKeptAsLogged() {
            // "type=" without a number is not rewritten
            DnsmasqChain c = new DnsmasqChain().dns("query[type=] example.com from 192.168.1.10");

            assertThat(c.onlyQuery().qtype()).isEqualTo("type=");
        }

        @Test
        void consecutiveQueriesAreReportedSeparately() {
            DnsmasqChain c = new DnsmasqChain()
                    .dns("3 192.168.1.10/1000 query[A] one.example from 192.168.1.10")
                    .dns("4 192.168.1.11/1001 query[AAAA] TWO.example. from 192.168.1.11")
                    .dhcp("query[type=65] three.example from ::1");

            assertThat(c.sink.queries)
                    .containsExactly(
                            new Query("192.168.1.10", "one.example", "A"),
                            new Query("192.168.1.11", "two.example", "AAAA"),
                            new Query("::1", "three.example", "TYPE65"));
            assertThat(c.counters.dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(3);
        }

        @Test
        void nameOf253CharactersIsAccepted() {
            String name = longName(253);
            DnsmasqChain c =
                    new DnsmasqChain().dns("query[A] " + name.toUpperCase(Locale.ROOT) + ". from 192.168.1.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("192.168.1.10", name, "A"));
            c.assertOnlyLine(DnsmasqLineKind.QUERY);
        }

        @ParameterizedTest
        @ValueSource(ints = {254, 300, 359, 1000})
        void namesOver253CharactersCountUnderTheirRegistrableDomain(int length) {
            String suffix = ".x.Example.CO.UK";
            String name = longName(length - suffix.length()) + suffix;
            DnsmasqChain c = new DnsmasqChain().dns("7 192.168.1.10/5353 query[TXT] " + name + " from 192.168.1.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("192.168.1.10", "example.co.uk", "TXT"));
            assertThat(c.sink.shortened).as("flagged as shortened").hasSize(1);
            c.assertOnlyLine(DnsmasqLineKind.QUERY);
        }

        @Test
        void overLongNamesOutsideThePublicSuffixListKeepTheirLastTwoLabels() {
            DnsmasqChain c = new DnsmasqChain()
                    .dns("query[A] " + longName(300) + ".nas.home.lan from fd00::7")
                    .dns("query[A] " + "b".repeat(260) + " from fd00::7");

            assertThat(c.sink.queries)
                    .containsExactly(new Query("fd00::7", "home.lan", "A"), new Query("fd00::7", "b".repeat(253), "A"));
            assertThat(c.sink.shortened).hasSize(2);
        }

        @Test
        void aNameOf253CharactersIsNotShortened() {
            DnsmasqChain c = new DnsmasqChain().dns("query[A] " + longName(253) + " from 192.168.1.10");

            assertThat(c.sink.shortened).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "query[A] google.com",
                    "query[A] google.com from",
                    "query[A] google.com from ",
                    "query[A google.com from 192.168.1.10",
                    "query[] google.com from 192.168.1.10",
                    "query[A]google.com from 192.168.1.10",
                    "query[A] google.com from 192.168.1.10 extra",
                    "query[A]",
                    "query[",
                    "3689 192.168.2.198/52226 query[A] google.com",
                    "UDP 3689 192.168.2.198/52226 query[A] google.com to 192.168.1.10",
                    "query[AVERYVERYVERYVERYLONGTYPEMNEMONIC] google.com from 192.168.1.10",
                })
        void malformedQueryLinesAreDropped(String message) {
            DnsmasqChain c = new DnsmasqChain().dns(message);

            c.assertOnlyDrop(DropReason.BAD_DNSMASQ_LINE);
        }

        @Test
        void clientLongerThanAnyAddressIsDropped() {
            DnsmasqChain c = new DnsmasqChain().dns("query[A] google.com from " + "a".repeat(256));

            c.assertOnlyDrop(DropReason.BAD_DNSMASQ_LINE);
        }

        @Test
        void trailingWhitespaceAfterClientIsIgnored() {
            DnsmasqChain c = new DnsmasqChain().dns("query[A] google.com from 192.168.1.10 \r");

            assertThat(c.onlyQuery()).isEqualTo(new Query("192.168.1.10", "google.com", "A"));
        }

        @Test
        void turkishDefaultLocaleDoesNotChangeNames() {
            Locale saved = Locale.getDefault();
            try {
                Locale.setDefault(Locale.forLanguageTag("tr-TR"));
                DnsmasqChain c = new DnsmasqChain("TUNNEL.EXAMPLE.IO")
                        .dns("query[A] INSTAGRAM.COM from 192.168.1.10")
                        .dns("query[TXT] ABCDEFGHIJ.TUNNEL.EXAMPLE.IO from 192.168.1.10")
                        .dns("query[TXT] abcdefghij.tunnel.example.io from 192.168.1.10");

                assertThat(c.sink.queries)
                        .extracting(Query::domain)
                        .containsExactly("instagram.com", "tunnel.example.io", "tunnel.example.io");
            } finally {
                Locale.setDefault(saved);
            }
        }
    }

    @Nested
    class TunnelDomains {
        private DnsmasqChain chain() {
            return new DnsmasqChain("T.Example.COM.", "dnstt.example.net");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "aerukz4jvpg672fbukr2jjngu6ua.t.example.com",
                    "aerukz4jvpg67y5rwkzqk2dfnrwg6.t.example.com",
                    "AERUKZ4JVPG67Y5RWKZQK2DFNRWG6.T.EXAMPLE.COM",
                    "AERUKZ4JVPG67Y5RWKZQK2DFNRWG6.T.EXAMPLE.COM.",
                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbb.t.example.com",
                })
        void namesUnderTheTunnelDomainCountAsTheDomain(String name) {
            DnsmasqChain c = chain().dns("5 10.0.0.5/41000 query[TXT] " + name + " from 10.0.0.5");

            assertThat(c.onlyQuery()).isEqualTo(new Query("10.0.0.5", "t.example.com", "TXT"));
        }

        @Test
        void secondConfiguredDomainFoldsToo() {
            DnsmasqChain c = chain().dns("query[TXT] abcdefghijklm.DNSTT.example.net from 10.0.0.5");

            assertThat(c.onlyQuery().domain()).isEqualTo("dnstt.example.net");
        }

        @ParameterizedTest
        @ValueSource(strings = {"t.example.com", "T.EXAMPLE.COM.", "T.Example.Com"})
        void theDomainItselfStaysItself(String name) {
            DnsmasqChain c = chain().dns("query[NS] " + name + " from 10.0.0.5");

            assertThat(c.onlyQuery().domain()).isEqualTo("t.example.com");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "xt.example.com",
                    "abc.xt.example.com",
                    "example.com",
                    "t.example.com.evil.org",
                    "t-example.com",
                    "www.example.com"
                })
        void otherNamesAreNotFolded(String name) {
            DnsmasqChain c = chain().dns("query[A] " + name + " from 10.0.0.5");

            assertThat(c.onlyQuery().domain()).isEqualTo(name);
        }

        @Test
        void withoutTunnelDomainsNothingIsFolded() {
            DnsmasqChain c =
                    new DnsmasqChain().dns("query[TXT] aerukz4jvpg672fbukr2jjngu6ua.t.example.com from 10.0.0.5");

            assertThat(c.onlyQuery().domain()).isEqualTo("aerukz4jvpg672fbukr2jjngu6ua.t.example.com");
        }
    }

    @Nested
    class Replies {
        static Stream<Arguments> outcomeLines() {
            return withLayoutsAndTags(List.of(
                    Arguments.of(
                            "forwarded example.com to 127.0.0.2#5300",
                            DnsmasqLineKind.FORWARDED,
                            ReplyOutcome.FORWARDED),
                    Arguments.of(
                            "forwarded example.com to 2001:4860:4860::8888",
                            DnsmasqLineKind.FORWARDED,
                            ReplyOutcome.FORWARDED),
                    Arguments.of("reply example.com is 93.184.216.34", DnsmasqLineKind.REPLY, ReplyOutcome.ANSWERED),
                    Arguments.of(
                            "reply example.com is 2606:2800:220:1:248:1893:25c8:1946",
                            DnsmasqLineKind.REPLY,
                            ReplyOutcome.ANSWERED),
                    Arguments.of("reply example.com is <MX>", DnsmasqLineKind.REPLY, ReplyOutcome.ANSWERED),
                    Arguments.of("reply alias.example.com is <CNAME>", DnsmasqLineKind.REPLY, ReplyOutcome.ANSWERED),
                    Arguments.of("reply 93.184.216.34 is example.com", DnsmasqLineKind.REPLY, ReplyOutcome.ANSWERED),
                    Arguments.of("reply www.example.com is NODATA-IPv4", DnsmasqLineKind.REPLY, ReplyOutcome.NODATA),
                    Arguments.of("reply www.example.com is NODATA-IPv6", DnsmasqLineKind.REPLY, ReplyOutcome.NODATA),
                    Arguments.of("reply www.example.com is NODATA", DnsmasqLineKind.REPLY, ReplyOutcome.NODATA),
                    Arguments.of("reply nope.invalid.test is NXDOMAIN", DnsmasqLineKind.REPLY, ReplyOutcome.NXDOMAIN),
                    Arguments.of("reply error is REFUSED", DnsmasqLineKind.REPLY, ReplyOutcome.REFUSED),
                    Arguments.of("reply error is SERVFAIL", DnsmasqLineKind.REPLY, ReplyOutcome.SERVFAIL),
                    Arguments.of("reply error is not implemented", DnsmasqLineKind.REPLY, ReplyOutcome.ERROR),
                    Arguments.of("reply error is 1", DnsmasqLineKind.REPLY, ReplyOutcome.ERROR),
                    Arguments.of("reply is truncated", DnsmasqLineKind.REPLY, ReplyOutcome.TRUNCATED),
                    Arguments.of("reply query is duplicate", DnsmasqLineKind.REPLY, ReplyOutcome.DUPLICATE),
                    Arguments.of("cached google.com is 142.250.74.46", DnsmasqLineKind.CACHED, ReplyOutcome.CACHED),
                    Arguments.of("cached google.com is NXDOMAIN", DnsmasqLineKind.CACHED, ReplyOutcome.CACHED),
                    Arguments.of(
                            "cached-stale google.com is 142.250.74.46",
                            DnsmasqLineKind.CACHED,
                            ReplyOutcome.CACHED_STALE),
                    Arguments.of(
                            "config ads.doubleclick.test is 0.0.0.0", DnsmasqLineKind.CONFIG, ReplyOutcome.BLOCKED),
                    Arguments.of("config ads.doubleclick.test is ::", DnsmasqLineKind.CONFIG, ReplyOutcome.BLOCKED),
                    Arguments.of(
                            "config ads.doubleclick.test is NXDOMAIN", DnsmasqLineKind.CONFIG, ReplyOutcome.BLOCKED),
                    Arguments.of(
                            "config ads.doubleclick.test is NODATA-IPv6", DnsmasqLineKind.CONFIG, ReplyOutcome.BLOCKED),
                    Arguments.of(
                            "config printer.example.test is 192.168.1.5", DnsmasqLineKind.CONFIG, ReplyOutcome.LOCAL),
                    Arguments.of("config printer.example.test is fd00::5", DnsmasqLineKind.CONFIG, ReplyOutcome.LOCAL),
                    Arguments.of("/etc/hosts localhost is 127.0.0.1", DnsmasqLineKind.HOSTS, ReplyOutcome.LOCAL),
                    Arguments.of(
                            "/tmp/hosts/dhcp.cfg01411c openwrt.lan is 192.168.1.1",
                            DnsmasqLineKind.HOSTS,
                            ReplyOutcome.LOCAL),
                    Arguments.of("DHCP laptop.lan is 192.168.1.100", DnsmasqLineKind.DHCP_NAME, ReplyOutcome.LOCAL),
                    Arguments.of(
                            "validation example.com is BOGUS (EDE: DNSSEC bogus)",
                            DnsmasqLineKind.DNSSEC,
                            ReplyOutcome.BOGUS)));
        }

        @ParameterizedTest(name = "[{index}] {0}|{1}|{2}")
        @MethodSource("outcomeLines")
        void outcomeInEveryLayout(
                String layout, String tag, String message, DnsmasqLineKind kind, ReplyOutcome outcome) {
            DnsmasqChain c = new DnsmasqChain().from(tag, layout + message);

            assertThat(c.sink.replies).containsExactly(outcome);
            assertThat(c.sink.eventCount()).isEqualTo(1);
            c.assertOnlyLine(kind);
        }

        static Stream<Arguments> countedLines() {
            return withLayoutsAndTags(List.of(
                    Arguments.of("dnssec-query[DS] example.com to 8.8.8.8", DnsmasqLineKind.DNSSEC),
                    Arguments.of("dnssec-query[DNSKEY] example.com to 8.8.8.8", DnsmasqLineKind.DNSSEC),
                    Arguments.of("validation example.com is SECURE", DnsmasqLineKind.DNSSEC),
                    Arguments.of("secure no DS means no DNSSEC for example.com", DnsmasqLineKind.DNSSEC),
                    Arguments.of("non-query opcode 4 from 192.168.2.198", DnsmasqLineKind.NON_QUERY)));
        }

        @ParameterizedTest(name = "[{index}] {0}|{1}|{2}")
        @MethodSource("countedLines")
        void countedWithoutEvent(String layout, String tag, String message, DnsmasqLineKind kind) {
            DnsmasqChain c = new DnsmasqChain().from(tag, layout + message);

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(kind);
        }

        @ParameterizedTest
        @ValueSource(strings = {"reply example.com", "reply example.com is", "reply example.com is "})
        void replyWithoutValueIsDropped(String message) {
            DnsmasqChain c = new DnsmasqChain().dns(message);

            c.assertOnlyDrop(DropReason.BAD_DNSMASQ_LINE);
        }

        @Test
        void realDnsmasqSequenceGivesOneEventPerLine() {
            DnsmasqChain c = new DnsmasqChain()
                    .dns("3 127.0.0.11/52765 query[MX] example.com from 127.0.0.11")
                    .dns("3 127.0.0.11/52765 forwarded example.com to 127.0.0.2#5300")
                    .dns("3 127.0.0.11/52765 reply example.com is <MX>")
                    .dns("4 127.0.0.11/52810 query[A] www.example.com from 127.0.0.11")
                    .dns("4 127.0.0.11/52810 cached www.example.com is NODATA-IPv4")
                    .dns("6 127.0.0.12/36611 query[A] ads.doubleclick.test from 127.0.0.12")
                    .dns("6 127.0.0.12/36611 config ads.doubleclick.test is 0.0.0.0");

            assertThat(c.sink.queries)
                    .containsExactly(
                            new Query("127.0.0.11", "example.com", "MX"),
                            new Query("127.0.0.11", "www.example.com", "A"),
                            new Query("127.0.0.12", "ads.doubleclick.test", "A"));
            assertThat(c.sink.replies)
                    .containsExactly(
                            ReplyOutcome.FORWARDED, ReplyOutcome.ANSWERED, ReplyOutcome.CACHED, ReplyOutcome.BLOCKED);
            assertThat(c.lines())
                    .containsOnly(
                            entry(DnsmasqLineKind.QUERY, 3L),
                            entry(DnsmasqLineKind.FORWARDED, 1L),
                            entry(DnsmasqLineKind.REPLY, 1L),
                            entry(DnsmasqLineKind.CACHED, 1L),
                            entry(DnsmasqLineKind.CONFIG, 1L));
            assertThat(c.drops()).isEmpty();
        }
    }

    @Nested
    class StartUpLines {
        @ParameterizedTest
        @ValueSource(
                strings = {
                    "started, version 2.90 cachesize 150",
                    "compile time options: IPv6 GNU-getopt no-DBus UBus no-i18n no-IDN DHCP DHCPv6 no-Lua TFTP",
                    "using nameserver 8.8.8.8#53",
                    "using nameserver 127.0.0.2#5300 for domain example.com",
                    "using only locally-known addresses for lan",
                    "read /etc/hosts - 4 names",
                    "DHCP, IP range 192.168.1.100 -- 192.168.1.249, lease time 12h",
                    "DHCPv6 stateless on br-lan",
                    "DHCP, sockets bound exclusively to interface br-lan",
                    "cleared cache",
                    "exiting on receipt of SIGTERM",
                })
        void areCountedAsOtherWithoutEvent(String message) {
            DnsmasqChain c = new DnsmasqChain().dns(message).dhcp(message);

            assertThat(c.sink.eventCount()).isZero();
            assertThat(c.lines()).containsExactly(entry(DnsmasqLineKind.OTHER, 2L));
            assertThat(c.drops()).isEmpty();
        }
    }

    @Nested
    class Dhcp {
        @Test
        void ackWithHostname() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff laptop");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "192.168.1.100", "aa:bb:cc:dd:ee:ff", "laptop", NOW, 0));
            assertThat(c.sink.eventCount()).isEqualTo(1);
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void ackWithoutHostname() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "192.168.1.100", "aa:bb:cc:dd:ee:ff", "", NOW, 0));
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void ackWithTrailingSpaceAsDnsmasqWritesItWithoutHostname() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff ");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "192.168.1.100", "aa:bb:cc:dd:ee:ff", "", NOW, 0));
        }

        @Test
        void ackWithTransactionId() {
            DnsmasqChain c =
                    new DnsmasqChain().dhcp("381195086 DHCPACK(veth-r) 10.77.0.53 ce:35:af:a2:2b:95 laptop-anna");

            assertThat(c.sink.leases)
                    .containsExactly(
                            new DhcpLease("OpenWrt", "10.77.0.53", "ce:35:af:a2:2b:95", "laptop-anna", NOW, 0));
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void ackWithTransactionIdWithoutHostname() {
            DnsmasqChain c = new DnsmasqChain().dhcp("381195086 DHCPACK(veth-r) 10.77.0.53 ce:35:af:a2:2b:95");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "10.77.0.53", "ce:35:af:a2:2b:95", "", NOW, 0));
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void ackMacIsLowerCased() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPACK(br-lan) 192.168.1.100 AA:BB:CC:DD:EE:0F Laptop");

            assertThat(c.sink.leases)
                    .extracting(DhcpLease::mac, DhcpLease::hostname)
                    .containsExactly(tuple("aa:bb:cc:dd:ee:0f", "Laptop"));
        }

        @Test
        void ackWithoutMacIsCountedWithoutEvent() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPACK(br-lan) 192.168.1.100");

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "DHCPACK(br-lan)",
                    "DHCPACK(br-lan) not-an-address aa:bb:cc:dd:ee:ff",
                    "DHCPACK(br-lan 192.168.1.100 aa:bb:cc:dd:ee:ff",
                    "DHCPRELEASE(br-lan) 192.168.1.300 aa:bb:cc:dd:ee:ff",
                    "DHCPREPLY(br-lan)x fd00::1 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff"
                })
        void malformedAckOrReleaseIsDropped(String message) {
            DnsmasqChain c = new DnsmasqChain().dhcp(message);

            c.assertOnlyDrop(DropReason.BAD_DNSMASQ_LINE);
        }

        @Test
        void overlongHostnameOrClientIdIsNotAnIdentity() {
            DnsmasqChain c = new DnsmasqChain()
                    .dhcp("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff " + "h".repeat(256))
                    .dhcp("DHCPACK(br-lan) 192.168.1.101 " + "aa:".repeat(300) + "ff laptop");
            assertThat(c.sink.eventCount()).isZero();
            assertThat(c.counters.dropCount(DropReason.BAD_DNSMASQ_LINE)).isEqualTo(2);
        }

        @Test
        void release() {
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPRELEASE(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff");

            assertThat(c.sink.releases)
                    .containsExactly(new DhcpRelease("OpenWrt", "192.168.1.100", "aa:bb:cc:dd:ee:ff", NOW));
            assertThat(c.sink.eventCount()).isEqualTo(1);
            c.assertOnlyLine(DnsmasqLineKind.DHCP_RELEASE);
        }

        @Test
        void releaseWithTransactionId() {
            DnsmasqChain c = new DnsmasqChain().dhcp("381195086 DHCPRELEASE(veth-r) 10.77.0.53 ce:35:af:a2:2b:95");

            assertThat(c.sink.releases)
                    .containsExactly(new DhcpRelease("OpenWrt", "10.77.0.53", "ce:35:af:a2:2b:95", NOW));
            c.assertOnlyLine(DnsmasqLineKind.DHCP_RELEASE);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "DHCPDISCOVER(br-lan) aa:bb:cc:dd:ee:ff",
                    "DHCPOFFER(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff",
                    "DHCPREQUEST(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff",
                    "DHCPNAK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff wrong address",
                    "DHCPINFORM(br-lan) 192.168.1.20 aa:bb:cc:dd:ee:ff",
                    "DHCPDECLINE(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff",
                    "DHCPSOLICIT(br-lan) 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff",
                    "DHCPADVERTISE(br-lan) fd00::1a2b 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff laptop",
                    "381195086 DHCPDISCOVER(veth-r) ce:35:af:a2:2b:95",
                    "381195086 DHCPOFFER(veth-r) 10.77.0.53 ce:35:af:a2:2b:95",
                    "381195086 DHCPREQUEST(veth-r) 10.77.0.53 ce:35:af:a2:2b:95",
                    "381195086 DHCPNAK(veth-r) 10.77.0.53 ce:35:af:a2:2b:95 wrong address",
                    "381195086 DHCPINFORM(veth-r) 10.77.0.53 ce:35:af:a2:2b:95",
                })
        void otherDhcpMessagesAreCountedWithoutEvent(String message) {
            DnsmasqChain c = new DnsmasqChain().dhcp(message);

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(DnsmasqLineKind.DHCP_OTHER);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "381195086 sent size:  4 option: 54 server-identifier  10.77.0.1",
                    "381195086 sent size:  1 option: 53 message-type  5",
                    "381195086 client provides name: laptop-anna",
                    "381195086 requested options: 1:netmask, 3:router, 6:dns-server",
                    "381195086 tags: lan, known, br-lan",
                    "381195086 available DHCP range: 10.77.0.50 -- 10.77.0.150",
                    "381195086 vendor class: MSFT 5.0",
                    "381195086 broadcast response",
                })
        void logDhcpDetailLinesAreCountedAsDetail(String message) {
            DnsmasqChain c = new DnsmasqChain().dhcp(message);

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(DnsmasqLineKind.DHCP_DETAIL);
        }

        @Test
        void dhcpv6ReplyWithDuidLltGivesTheMac() {
            DnsmasqChain c = new DnsmasqChain()
                    .dhcp("DHCPREPLY(br-lan) fd00::1a2b 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff laptop");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "fd00::1a2b", "aa:bb:cc:dd:ee:ff", "laptop", NOW, 0));
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void dhcpv6ReplyWithTransactionIdAndUpperCaseDuid() {
            DnsmasqChain c = new DnsmasqChain()
                    .dhcp("6183742 DHCPREPLY(br-lan) fd00::1a2b 00:01:00:01:2A:3B:4C:5D:AA:BB:CC:DD:EE:FF");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "fd00::1a2b", "aa:bb:cc:dd:ee:ff", "", NOW, 0));
        }

        @Test
        void dhcpv6ReplyWithDuidLlGivesTheMac() {
            DnsmasqChain c =
                    new DnsmasqChain().dhcp("DHCPREPLY(br-lan) fd00::1a2b 00:03:00:01:aa:bb:cc:dd:ee:ff phone");

            assertThat(c.sink.leases)
                    .containsExactly(new DhcpLease("OpenWrt", "fd00::1a2b", "aa:bb:cc:dd:ee:ff", "phone", NOW, 0));
        }

        @Test
        void dhcpv6ReplyWithDuidEnKeepsTheDuid() {
            String duid = "00:02:00:00:ab:11:01:02:03:04:05:06:07:08";
            DnsmasqChain c = new DnsmasqChain().dhcp("DHCPREPLY(br-lan) fd00::1a2b " + duid + " printer");

            assertThat(c.sink.leases).containsExactly(new DhcpLease("OpenWrt", "fd00::1a2b", duid, "printer", NOW, 0));
        }

        @ParameterizedTest
        @ValueSource(strings = {"deprecated", "address invalid", "lease not found", "confirm failed"})
        void dhcpv6ReplyWithAStatusInsteadOfAHostnameTeachesNothing(String status) {
            DnsmasqChain c = new DnsmasqChain()
                    .dhcp("DHCPREPLY(br-lan) fd00::1a2b 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff " + status);

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }

        @Test
        void dhcpv6LinesWithoutAnAddressAreCountedNotDropped() {
            DnsmasqChain reply = new DnsmasqChain()
                    .dhcp("DHCPREPLY(br-lan) 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff no addresses available");
            assertThat(reply.sink.eventCount()).isZero();
            reply.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);

            DnsmasqChain release =
                    new DnsmasqChain().dhcp("DHCPRELEASE(br-lan) 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff");
            assertThat(release.sink.eventCount()).isZero();
            release.assertOnlyLine(DnsmasqLineKind.DHCP_RELEASE);
        }

        @Test
        void dhcpv6InformationRequestIsADhcpMessage() {
            DnsmasqChain c = new DnsmasqChain()
                    .dhcp("DHCPINFORMATION-REQUEST(br-lan) 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff");

            assertThat(c.sink.eventCount()).isZero();
            c.assertOnlyLine(DnsmasqLineKind.DHCP_OTHER);
        }

        @Test
        void dhcpv6ReleaseGivesTheMac() {
            DnsmasqChain c =
                    new DnsmasqChain().dhcp("DHCPRELEASE(br-lan) fd00::1a2b 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff");

            assertThat(c.sink.releases)
                    .containsExactly(new DhcpRelease("OpenWrt", "fd00::1a2b", "aa:bb:cc:dd:ee:ff", NOW));
        }

        @Test
        void dhcpLinesArriveFromTheDnsTagToo() {
            DnsmasqChain c = new DnsmasqChain().dns("DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff laptop");

            assertThat(c.sink.leases).hasSize(1);
            c.assertOnlyLine(DnsmasqLineKind.DHCP_ACK);
        }
    }

    @Nested
    class Routing {
        @Test
        void otherProgramsAreOnlyCounted() {
            DnsmasqChain c = new DnsmasqChain()
                    .line("<29>Jan  5 12:34:56 OpenWrt netifd: Interface 'lan' is now up")
                    .line("<6>Jan  5 12:34:56 OpenWrt kernel: [   12.345678] br-lan: port 1(lan1) entered"
                            + " forwarding state")
                    .line("<6>Jan  5 12:34:57 OpenWrt r1: kernel: [   12.5] query[A] fake.example from 1.2.3.4")
                    .line("<30>Jan  5 12:34:58 OpenWrt odhcpd[1234]: query[A] fake.example from 1.2.3.4")
                    .line("<30>Jan  5 12:34:59 OpenWrt dnsmasqx[1]: query[A] fake.example from 1.2.3.4")
                    .line("<13>Jan  5 12:35:00 OpenWrt just a message without a tag")
                    .line("<30>Jan  5 12:35:01 OpenWrt dnsmasq[1]: query[A] real.example from 192.168.1.10")
                    .line("<30>Jan  5 12:35:02 OpenWrt r1: dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.100"
                            + " aa:bb:cc:dd:ee:ff laptop");

            assertThat(c.sink.queries).containsExactly(new Query("192.168.1.10", "real.example", "A"));
            assertThat(c.sink.leases).hasSize(1);
            assertThat(c.sink.eventCount()).isEqualTo(2);
            assertThat(new TreeMap<>(c.counters.programs().snapshot()))
                    .containsExactly(
                            entry("_none", 1L),
                            entry("dnsmasq", 1L),
                            entry("dnsmasq-dhcp", 1L),
                            entry("dnsmasqx", 1L),
                            entry("kernel", 2L),
                            entry("netifd", 1L),
                            entry("odhcpd", 1L));
            assertThat(c.lines()).containsOnly(entry(DnsmasqLineKind.QUERY, 1L), entry(DnsmasqLineKind.DHCP_ACK, 1L));
        }

        @Test
        void rfc5424LoggerLineReachesTheDnsmasqParser() {
            DnsmasqChain c = new DnsmasqChain()
                    .line("<30>1 2026-11-22T01:59:45.999048+00:00 vm dnsmasq 5533 -"
                            + " [timeQuality tzKnown=\"1\" isSynced=\"0\"] 1 127.0.0.10/36096 query[A] google.com from"
                            + " 127.0.0.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("127.0.0.10", "google.com", "A"));
            assertThat(c.counters.programs().snapshot()).containsExactly(entry("dnsmasq", 1L));
        }

        @Test
        void lineWithoutHostnameReachesTheDnsmasqParser() {
            DnsmasqChain c =
                    new DnsmasqChain().line("<30>Nov 22 01:59:47 dnsmasq[5533]: query[A] google.com from 127.0.0.10");

            assertThat(c.onlyQuery()).isEqualTo(new Query("127.0.0.10", "google.com", "A"));
        }

        @Test
        void syslogDropsAreCountedAndProduceNothing() {
            DnsmasqChain c = new DnsmasqChain()
                    .line("no pri at all")
                    .line("<300>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[A] a.example from 1.2.3.4")
                    .line("<30>")
                    .line("<30>1 - vm dnsmasq - - [x@1 a=\"unterminated query[A] a.example from 1.2.3.4");

            assertThat(c.sink.eventCount()).isZero();
            assertThat(c.drops())
                    .containsOnly(
                            entry(DropReason.BAD_PRI, 2L),
                            entry(DropReason.BAD_HEADER, 1L),
                            entry(DropReason.BAD_STRUCTURED_DATA, 1L));
            assertThat(c.counters.programs().snapshot()).isEmpty();
        }

        @Test
        void faultInTheSinkIsCountedAsInternalError() {
            RecordingSink failing = new RecordingSink() {
                @Override
                public void query(DnsQuery q) {
                    throw new IllegalStateException("boom");
                }
            };
            DnsmasqChain c = new DnsmasqChain(List.of(), List.of(), ClientAnonymizer.none(), failing);

            c.line("<30>dnsmasq[1]: query[A] a.example from 1.2.3.4");

            assertThat(c.counters.dropCount(DropReason.INTERNAL_ERROR)).isEqualTo(1);
        }
    }

    @Test
    void parserCanBeUsedDirectlyOnAByteRange() {
        PipelineCounters counters = new PipelineCounters();
        RecordingSink sink = new RecordingSink();
        DnsmasqParser parser = new DnsmasqParser(sink, counters, () -> NOW);
        String message = "UDP 3689 192.168.2.198/52226 query[A] Google.COM. from 192.168.2.198";
        byte[] b = ("xx" + message + "yy").getBytes(UTF_8);

        parser.parse(b, 2, message.length());

        // as logged: the stored form is the rules' job
        assertThat(sink.queries).containsExactly(new Query("192.168.2.198", "Google.COM.", "A"));
        assertThat(counters.dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(1);
        assertThat(new String(b, message.length() + 2, 2, UTF_8)).isEqualTo("yy");
    }

    /** A syntactically plausible name of exactly {@code length} characters: labels of up to 63 'a's. */
    private static String longName(int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int label = Math.min(63, length - sb.length());
            sb.append("a".repeat(label));
            if (sb.length() < length - 1) {
                sb.append('.');
            }
        }
        String s = sb.toString();
        assertThat(s).hasSize(length).doesNotEndWith(".");
        return s;
    }
}
