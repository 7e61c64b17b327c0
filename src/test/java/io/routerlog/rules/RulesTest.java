package io.routerlog.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.testing.DnsmasqChain;
import io.routerlog.testing.RecordingSink.Query;
import io.routerlog.testing.RecordingSink.Tunnel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules every source shares, seen through log lines (packets go through the same class). */
class RulesTest {
    private static final ClientAnonymizer HASH =
            new ClientAnonymizer(ClientAnonymizer.Mode.HASH, "a-key-of-16-chars".getBytes(StandardCharsets.US_ASCII));

    private static String pseudonym(String address) {
        return HASH.copy().anonymize(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-ip", "1.2\"}", "1.2.3.4.5", "192.168.1.300", "fe80::1%", "::g", "evil.example"})
    void aQueryWhoseClientIsNotAnAddressIsABadLine(String client) {
        DnsmasqChain c = new DnsmasqChain().dns("query[A] example.com from " + client);

        c.assertOnlyDrop(DropReason.BAD_DNSMASQ_LINE);
    }

    @Test
    void theRouterIsTheHostnameCutToItsBoundOrTheSenderWithoutOne() {
        String longName = "r".repeat(80);
        DnsmasqChain c = new DnsmasqChain();
        c.frames().sender(new InetSocketAddress("127.0.0.7", 514));
        c.line("<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[A] a.test from 192.168.1.2")
                .line("<30>Jan  5 12:34:56 dnsmasq[1]: query[A] a.test from 192.168.1.2")
                .line("<30>1 2026-12-02T10:00:00Z - dnsmasq 1 - - query[A] a.test from 192.168.1.2")
                .line("<30>Jan  5 12:34:56 " + longName + " dnsmasq[1]: query[A] a.test from 192.168.1.2")
                .line("<30>Jan  5 12:34:56 r2 dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.2 aa:bb:cc:dd:ee:ff tv");

        assertThat(c.sink.routers).containsExactly("OpenWrt", "127.0.0.7", "127.0.0.7", "r".repeat(63));
        assertThat(c.sink.leases).extracting(DhcpLease::router).containsExactly("r2");
    }

    @Test
    void outcomesNameTheirDomainAndTheClientWhenTheLineSays() {
        DnsmasqChain c = new DnsmasqChain(List.of("ignored.test"), List.of("t.example.com"), ClientAnonymizer.none())
                .dns("7 ::ffff:192.168.1.2/4000 reply WWW.Example.com is 192.0.2.1")
                .dns("forwarded example.org to 192.0.2.53")
                .dns("8 192.168.1.3/4000 config ads.ignored.test is 0.0.0.0")
                .dns("9 192.168.1.3/4000 cached aaaa.t.example.com is <CNAME>")
                .dns("10 192.168.1.3/4000 config blocked.example is NXDOMAIN");

        assertThat(c.sink.replies).hasSize(5);
        assertThat(c.sink.replyNames)
                .containsExactly(
                        "OpenWrt 192.168.1.2 www.example.com answered",
                        "OpenWrt  example.org forwarded",
                        "OpenWrt 192.168.1.3 t.example.com cached",
                        "OpenWrt 192.168.1.3 blocked.example blocked");
    }

    /**
     * Lines about the same name in a row, as dnsmasq writes them (a query and its answers, A and AAAA, an ignored
     * name, a tunnel's name, another client for the same name), each follow the rules on their own.
     */
    @Test
    void linesAboutOneNameInARowEachFollowTheRules() {
        DnsmasqChain c = new DnsmasqChain(List.of("ignored.test"), List.of("t.example.com"), ClientAnonymizer.none())
                .dns("1 192.168.1.2/4000 query[A] WWW.Example.com from 192.168.1.2")
                .dns("1 192.168.1.2/4000 forwarded WWW.Example.com to 192.0.2.53")
                .dns("2 192.168.1.2/4001 query[AAAA] WWW.Example.com from 192.168.1.2")
                .dns("1 192.168.1.2/4000 reply WWW.Example.com is 192.0.2.1")
                .dns("3 192.168.1.3/4000 reply WWW.Example.com is 192.0.2.1")
                .dns("4 192.168.1.3/4000 query[A] ads.ignored.test from 192.168.1.3")
                .dns("4 192.168.1.3/4000 config ads.ignored.test is 0.0.0.0")
                .dns("4 192.168.1.3/4000 config ads.ignored.test is 0.0.0.0")
                .dns("5 192.168.1.3/4000 query[A] ads.ignored.test from 192.168.1.3")
                .dns("6 192.168.1.4/4000 query[TXT] abc.t.example.com from 192.168.1.4")
                .dns("7 192.168.1.4/4000 query[TXT] abc.t.example.com from 192.168.1.4")
                .dns("7 192.168.1.4/4000 reply abc.t.example.com is <TXT>")
                .dns("8 192.168.1.4/4000 query[A] www.example.com from 192.168.1.4")
                .dns("8 192.168.1.4/4000 reply www.example.com is 192.0.2.1");

        assertThat(c.sink.queries)
                .containsExactly(
                        new Query("192.168.1.2", "www.example.com", "A"),
                        new Query("192.168.1.2", "www.example.com", "AAAA"),
                        new Query("192.168.1.4", "t.example.com", "TXT"),
                        new Query("192.168.1.4", "t.example.com", "TXT"),
                        new Query("192.168.1.4", "www.example.com", "A"));
        assertThat(c.sink.tunnels).hasSize(2);
        assertThat(c.counters.ignoredQueries()).isEqualTo(2);
        assertThat(c.sink.replies).hasSize(7);
        assertThat(c.sink.replyNames)
                .containsExactly(
                        "OpenWrt 192.168.1.2 www.example.com forwarded",
                        "OpenWrt 192.168.1.2 www.example.com answered",
                        "OpenWrt 192.168.1.3 www.example.com answered",
                        "OpenWrt 192.168.1.4 t.example.com answered",
                        "OpenWrt 192.168.1.4 www.example.com answered");
    }

    @Test
    void everySpellingOfAnAddressIsOneClient() {
        DnsmasqChain c = new DnsmasqChain()
                .dns("query[A] a.test from 192.168.1.23")
                .dns("query[A] a.test from ::ffff:192.168.1.23")
                .dns("3 FD00:0:0:0:0:0:0:5/4000 query[A] a.test from FD00:0:0:0:0:0:0:5")
                .dhcp("DHCPACK(br-lan) ::FFFF:192.168.1.23 aa:bb:cc:dd:ee:ff laptop");

        assertThat(c.sink.queries).extracting(Query::client).containsExactly("192.168.1.23", "192.168.1.23", "fd00::5");
        assertThat(c.sink.leases).extracting(DhcpLease::ip).containsExactly("192.168.1.23");
    }

    @Test
    void anonymizationCoversEveryAddressOfADeviceAndDropsIdentities() {
        DnsmasqChain c = new DnsmasqChain(List.of(), List.of(), HASH)
                .dns("query[A] a.test from ::ffff:192.168.1.23")
                .dhcp("DHCPACK(br-lan) 192.168.1.23 aa:bb:cc:dd:ee:ff laptop")
                .dhcp("DHCPRELEASE(br-lan) 192.168.1.23 aa:bb:cc:dd:ee:ff")
                .from(
                        "kernel",
                        "[ 1.0] fwd lan: IN=br-lan OUT=wan SRC=192.168.1.23 DST=203.0.113.9 LEN=60 "
                                + "PROTO=TCP SPT=5555 DPT=443")
                .from(
                        "haproxy[1]",
                        "192.168.1.23:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 "
                                + "10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"");

        String device = pseudonym("192.168.1.23");
        assertThat(c.sink.queries).containsExactly(new Query(device, "a.test", "A"));
        assertThat(c.sink.leases).isEmpty();
        assertThat(c.sink.releases).isEmpty();
        assertThat(c.sink.firewall)
                .containsExactly(new FirewallPacket("fwd lan:", device, pseudonym("203.0.113.9"), "TCP", "443"));
        assertThat(c.sink.http).containsExactly(new HttpRequest(device, "http-in", "static", "200"));
    }

    @Test
    void ignoredNamesAreCountedOnceAndGoNoFurther() {
        DnsmasqChain c = new DnsmasqChain(List.of("Tracker.example", "*.cdn.*"), List.of(), ClientAnonymizer.none())
                .dns("query[A] TRACKER.example. from 10.0.0.1")
                .dns("query[A] x.tracker.example from 10.0.0.1")
                .dns("query[A] img.cdn.example.org from 10.0.0.1")
                .dns("query[A] tracker.example.org from 10.0.0.1");

        assertThat(c.sink.queries).containsExactly(new Query("10.0.0.1", "tracker.example.org", "A"));
        assertThat(c.counters.ignoredQueries()).isEqualTo(3);
        assertThat(c.lines()).containsExactly(entry(DnsmasqLineKind.QUERY, 4L));
    }

    @Test
    void overLongNamesUnderATunnelDomainFoldAndCountInTheTunnelWithTheirFullSize() {
        // 314 base32 characters in five labels: a ClientID and data, as a dnstt client splits them
        String labels = "aerukz4jvpg672fbukr2jjngu6ua" + "a".repeat(35) + "." + ("b".repeat(63) + ".").repeat(3)
                + "c".repeat(62) + ".";
        String name = labels + "t.example.com";
        assertThat(name.length()).isGreaterThan(253);
        DnsmasqChain c = new DnsmasqChain("t.example.com").dns("query[TXT] " + name + " from 10.0.0.5");

        assertThat(c.onlyQuery()).isEqualTo(new Query("10.0.0.5", "t.example.com", "TXT"));
        assertThat(c.sink.shortened).as("folded, not shortened").isEmpty();
        assertThat(c.sink.tunnels)
                .containsExactly(new Tunnel(0, "10.0.0.5", true, 0x0123456789abcdefL, 12 + name.length() + 2 + 4 + 11));
    }

    @Test
    void qtypesAndDhcpTextAreEscaped() {
        DnsmasqChain c = new DnsmasqChain()
                .line("9 <30>dnsmasq[1]: query[A\u0001] a.test from 10.0.0.1".getBytes(StandardCharsets.UTF_8))
                .dhcp("DHCPACK(br-lan) 10.0.0.2 aa:bb:cc:dd:ee:ff K\u00fcche");

        assertThat(c.sink.leases).extracting(DhcpLease::hostname).containsExactly("K\\195\\188che");
    }
}
