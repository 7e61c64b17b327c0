package io.routerlog;

import static io.routerlog.testing.Senders.octet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.routerlog.stats.DropReason;
import io.routerlog.stats.Transport;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A whole node in this JVM, fed over real loopback sockets, read back through /metrics. */
@ExtendWith(NettyLeakCheck.class)
class RouterLogTest {
    private RouterLog node;

    /** Settings for a node on free loopback ports, flushing every 100 ms, plus {@code args}. */
    static Settings settings(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--listen-address",
                "127.0.0.1",
                "--http-address",
                "127.0.0.1",
                "--syslog-port",
                "0",
                "--http-port",
                "0",
                "--flush-interval",
                "100ms",
                "--io-threads",
                "2"));
        all.addAll(List.of(args));
        return Main.parse(all.toArray(String[]::new), Map.of());
    }

    @BeforeEach
    void start() throws Exception {
        node = RouterLog.start(settings("--dnstt-domain", "t.example.com"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    /** Waits until the node has seen {@code messages} frames, flushes, and scrapes. */
    private Exposition settle(long messages) throws Exception {
        Waiting.upTo(
                Duration.ofSeconds(10),
                Duration.ofMillis(10),
                () -> node.counters().messageCount(Transport.TCP)
                                + node.counters().messageCount(Transport.UDP)
                        >= messages);
        node.flush();
        return Http.metrics(node.httpPort());
    }

    @Test
    void everyLogdVariantAndRfc5424CountExactly() throws Exception {
        int port = node.syslogPort();
        String q = "query[A] example.com from 192.168.1.10";
        // TCP, newline trailer; with hostname, without, with log_prefix, with prefix and no hostname
        Senders.tcp(
                port,
                "<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: " + q + "\n"
                        + "<30>Jan  5 12:34:56 dnsmasq[1]: " + q + "\n"
                        + "<30>Jan  5 12:34:56 OpenWrt r1: dnsmasq[1]: " + q + "\n"
                        + "<30>Jan  5 12:34:56 r1: dnsmasq[1]: " + q + "\n");
        // TCP, NUL trailer (log_trailer_null), extra and proto layouts, other programs in between
        Senders.tcp(
                port,
                "<30>Sep  3 15:54:12 OpenWrt dnsmasq[1]: 12 192.168.1.10/52226 " + q + "\0"
                        + "<30>Sep  3 15:54:12 OpenWrt netifd: Interface 'wan' is now up\0"
                        + "<30>Sep  3 15:54:12 OpenWrt dnsmasq[17]: UDP 13 192.168.1.10/52227 " + q + "\0"
                        + "<6>Sep  3 15:54:12 OpenWrt kernel: [ 12.345678] br-lan: port 1 entered forwarding state\0");
        // UDP, with and without trailing newline
        Senders.udp(
                port,
                List.of(
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: " + q,
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: " + q + "\n",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: 3689 fd00::5/52226 query[AAAA] IPv6.Example.COM. from fd00::5\n"));
        // RFC 5424, octet counted, structured data before a message that contains [A]
        Senders.tcp(
                port,
                octet("<30>1 2026-11-22T01:59:45.999048+00:00 vm dnsmasq 5533 - [timeQuality tzKnown=\"1\" "
                                + "isSynced=\"0\"] 1 192.168.1.10/36096 " + q)
                        + octet("<30>1 2026-11-22T01:59:45Z - dnsmasq - - - TCP -4 192.168.1.10/36097 " + q));
        Exposition m = settle(13);
        assertThat(m.queryCounts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "192.168.1.10 example.com A", 10L,
                        "fd00::5 ipv6.example.com AAAA", 1L));
        // the router: the HOSTNAME, else (none, or RFC 5424 NIL) the sender's address
        assertThat(m.queryCountsByRouter())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "OpenWrt 192.168.1.10 example.com A", 6L,
                        "127.0.0.1 192.168.1.10 example.com A", 3L,
                        "vm 192.168.1.10 example.com A", 1L,
                        "OpenWrt fd00::5 ipv6.example.com AAAA", 1L));
        assertThat(m.value("routerlog_syslog_messages_total", "transport", "tcp"))
                .isEqualTo(10.0);
        assertThat(m.value("routerlog_syslog_messages_total", "transport", "udp"))
                .isEqualTo(3.0);
        assertThat(m.value("routerlog_syslog_program_messages_total", "program", "dnsmasq"))
                .isEqualTo(11.0);
        assertThat(m.value("routerlog_syslog_program_messages_total", "program", "netifd"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_syslog_program_messages_total", "program", "kernel"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_dns_pairs")).isEqualTo(4.0);
        for (Exposition.Sample s : m.samples("routerlog_syslog_dropped_total")) {
            assertThat(s.value()).as(s.labels().toString()).isZero();
        }
    }

    @Test
    void dhcpIdentitiesRepliesAndTunnelNames() throws Exception {
        int port = node.syslogPort();
        StringBuilder s = new StringBuilder();
        for (String line : List.of(
                "dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.100 aa:bb:cc:dd:ee:ff laptop",
                "dnsmasq-dhcp[1]: 381195086 DHCPACK(br-lan) 192.168.1.101 aa:bb:cc:dd:ee:01",
                "dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.102 aa:bb:cc:dd:ee:02 gone",
                "dnsmasq-dhcp[1]: DHCPRELEASE(br-lan) 192.168.1.102 aa:bb:cc:dd:ee:02",
                "dnsmasq[1]: 3 127.0.0.11/52765 forwarded example.com to 127.0.0.2#5300",
                "dnsmasq[1]: 3 127.0.0.11/52765 reply example.com is 93.184.216.34",
                "dnsmasq[1]: 5 127.0.0.12/39638 reply nope.invalid.test is NXDOMAIN",
                "dnsmasq[1]: 6 127.0.0.12/36611 config ads.doubleclick.test is 0.0.0.0",
                "dnsmasq[1]: cached google.com is 142.250.74.46",
                "dnsmasq[1]: 7 10.0.0.53/1000 query[TXT] aerukz4jvpg672fbukr2jjngu6ua.t.example.com from 10.0.0.53",
                "dnsmasq[1]: 8 10.0.0.53/1001 query[TXT] AERUKZ4JVPG67Y5RWKZQK2DFNRWG6.T.EXAMPLE.COM from 10.0.0.53",
                "dnsmasq[1]: 9 10.0.0.53/1002 query[A] xt.example.com from 10.0.0.53")) {
            s.append("<30>Nov 22 01:59:47 OpenWrt ").append(line).append('\n');
        }
        Senders.tcp(port, s.toString());
        Exposition m = settle(12);
        assertThat(m.samples("routerlog_dhcp_lease_info"))
                .extracting(Exposition.Sample::labels)
                .containsExactlyInAnyOrder(
                        Map.of(
                                "router",
                                "OpenWrt",
                                "client",
                                "192.168.1.100",
                                "mac",
                                "aa:bb:cc:dd:ee:ff",
                                "hostname",
                                "laptop"),
                        Map.of(
                                "router",
                                "OpenWrt",
                                "client",
                                "192.168.1.101",
                                "mac",
                                "aa:bb:cc:dd:ee:01",
                                "hostname",
                                ""));
        assertThat(m.value("routerlog_dns_replies_total", "outcome", "forwarded"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_dns_replies_total", "outcome", "answered"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_dns_replies_total", "outcome", "nxdomain"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_dns_replies_total", "outcome", "blocked")).isEqualTo(1.0);
        assertThat(m.value("routerlog_dns_replies_total", "outcome", "cached")).isEqualTo(1.0);
        assertThat(m.queryCounts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "10.0.0.53 t.example.com TXT", 2L,
                        "10.0.0.53 xt.example.com A", 1L));
    }

    @Test
    void aTcpStreamArrivingByteByByteAndBadFramesInBetween() throws Exception {
        String stream = "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] one.test from 10.1.0.1\n"
                + "this is not syslog\n"
                + octet("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[MX] two.test from 10.1.0.2")
                + "<" + "9".repeat(70_000) + "\n"
                + "<999>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] bad.pri from 10.1.0.3\0"
                + "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] from\n"
                + "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[type=65] three.test from 10.1.0.4\0";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            chunks.add(new byte[] {bytes[i]});
        }
        chunks.add(Arrays.copyOfRange(bytes, 200, bytes.length));
        Senders.tcp(node.syslogPort(), chunks, 1);
        Exposition m = settle(7);
        assertThat(m.queryCounts())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "10.1.0.1 one.test A", 1L,
                        "10.1.0.2 two.test MX", 1L,
                        "10.1.0.4 three.test TYPE65", 1L));
        Map<String, Long> drops = new TreeMap<>();
        for (DropReason r : List.of(DropReason.BAD_PRI, DropReason.FRAME_TOO_LARGE, DropReason.BAD_DNSMASQ_LINE)) {
            drops.put(r.label(), node.counters().dropCount(r));
        }
        assertThat(drops)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("bad_pri", 2L, "frame_too_large", 1L, "bad_dnsmasq_line", 1L));
        assertThat(m.value("routerlog_syslog_dropped_total", "reason", "bad_pri"))
                .isEqualTo(2.0);
    }

    @Test
    void textFromTheNetworkIsStoredEscapedAndReadBackUnchanged() throws Exception {
        // octet counting carries a newline inside a message; names are stored with unprintable bytes as \DDD
        String weird = "We\"ird\\name\nwith.NEWLINE.test";
        Senders.tcp(
                node.syslogPort(),
                octet("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] " + weird + " from 10.2.0.1"));
        Senders.udp(
                node.syslogPort(),
                List.of(
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq-dhcp[1]: DHCPACK(br-lan) 10.2.0.2 aa:bb:cc:dd:ee:03 h\"o\\st",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] caf\u00e9.test from 10.2.0.3",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] CAF\u00c9.test from 10.2.0.3"));
        Exposition m = settle(4);
        assertThat(m.queryCounts())
                .containsOnly(
                        entry("10.2.0.1 we\"ird\\092name\\010with.newline.test A", 1L),
                        entry("10.2.0.3 caf\\195\\169.test A", 1L),
                        entry("10.2.0.3 caf\\195\\137.test A", 1L));
        assertThat(m.samples("routerlog_dhcp_lease_info").get(0).labels()).containsEntry("hostname", "h\"o\\092st");
    }

    @Test
    void leasesFileSeedsIdentitiesAndIsReadAgainWhenItChanges(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path leases = dir.resolve("dhcp.leases");
        long future = System.currentTimeMillis() / 1000 + 3600;
        Files.writeString(
                leases,
                future + " aa:bb:cc:00:00:01 192.168.9.10 nas *\n"
                        + "0 aa:bb:cc:00:00:02 192.168.9.11 * 01:aa:bb:cc:00:00:02\n"
                        + "1000 aa:bb:cc:00:00:03 192.168.9.12 expired *\n");
        try (RouterLog withLeases =
                RouterLog.start(settings("--leases-file", leases.toString(), "--leases-router", "OpenWrt"))) {
            withLeases.flush();
            assertThat(Http.metrics(withLeases.httpPort()).samples("routerlog_dhcp_lease_info"))
                    .extracting(Exposition.Sample::labels)
                    .containsExactlyInAnyOrder(
                            Map.of(
                                    "router",
                                    "OpenWrt",
                                    "client",
                                    "192.168.9.10",
                                    "mac",
                                    "aa:bb:cc:00:00:01",
                                    "hostname",
                                    "nas"),
                            Map.of(
                                    "router",
                                    "OpenWrt",
                                    "client",
                                    "192.168.9.11",
                                    "mac",
                                    "aa:bb:cc:00:00:02",
                                    "hostname",
                                    ""));
            Senders.tcp(
                    withLeases.syslogPort(),
                    "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] a.test from 192.168.9.10\n"
                            + "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] b.test from 192.168.9.11\n");
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> withLeases.counters().messageCount(Transport.TCP) >= 2);
            withLeases.flush();
            assertThat(Http.get(withLeases.httpPort(), "/clients.csv").body().lines())
                    .containsExactly(
                            "192.168.9.10,a.test,1,aa:bb:cc:00:00:01,nas,," + future + ",OpenWrt",
                            "192.168.9.11,b.test,1,aa:bb:cc:00:00:02,,01:aa:bb:cc:00:00:02,,OpenWrt");
            Files.writeString(leases, "0 aa:bb:cc:00:00:04 192.168.9.11 printer *\n");
            Files.setLastModifiedTime(leases, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Map<String, String> printer = Map.of(
                    "router", "OpenWrt", "client", "192.168.9.11", "mac", "aa:bb:cc:00:00:04", "hostname", "printer");
            Waiting.upTo(
                    Duration.ofSeconds(20),
                    Duration.ofMillis(200),
                    () -> Http.metrics(withLeases.httpPort()).samples("routerlog_dhcp_lease_info").stream()
                            .anyMatch(x -> x.labels().equals(printer)));
            assertThat(Http.metrics(withLeases.httpPort()).samples("routerlog_dhcp_lease_info"))
                    .extracting(Exposition.Sample::labels)
                    .contains(printer);
        }
    }

    @Test
    void routersThatHandOutTheSameAddressesStayApart() throws Exception {
        Senders.tcp(
                node.syslogPort(),
                "<30>Dec  2 10:00:00 r1 dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.20 aa:00:00:00:00:01 tablet\n"
                        + "<30>Dec  2 10:00:00 r2 dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.20 aa:00:00:00:00:02 tv\n"
                        + "<30>Dec  2 10:00:00 r1 dnsmasq[1]: query[A] a.test from 192.168.1.20\n"
                        + "<30>Dec  2 10:00:00 r2 dnsmasq[1]: query[A] a.test from 192.168.1.20\n"
                        + "<30>Dec  2 10:00:00 r2 dnsmasq[1]: query[A] a.test from 192.168.1.20\n");
        Exposition m = settle(5);
        assertThat(m.queryCountsByRouter())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "r1 192.168.1.20 a.test A", 1L,
                        "r2 192.168.1.20 a.test A", 2L));
        assertThat(m.samples("routerlog_dhcp_lease_info"))
                .extracting(s -> s.labels().get("router") + " " + s.labels().get("hostname"))
                .containsExactlyInAnyOrder("r1 tablet", "r2 tv");
        assertThat(Http.get(node.httpPort(), "/clients.csv?router=r2").body())
                .isEqualTo("192.168.1.20,a.test,2,aa:00:00:00:00:02,tv,,,r2\n");
    }

    @Test
    void routerLabelSenderNamesTheRouterByItsAddressEvenWithAHostname() throws Exception {
        try (RouterLog bySender = RouterLog.start(settings("--router-label", "sender"))) {
            Senders.tcp(
                    bySender.syslogPort(),
                    "<30>Dec  2 10:00:00 OpenWrt dnsmasq[1]: query[A] a.test from 192.168.1.20\n");
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> bySender.counters().messageCount(Transport.TCP) >= 1);
            bySender.flush();
            assertThat(Http.metrics(bySender.httpPort()).queryCountsByRouter())
                    .isEqualTo(Map.of("127.0.0.1 192.168.1.20 a.test A", 1L));
        }
    }

    @Test
    void clientTablesForTheLuaCollectorAndForMigratingFromTheCsvExporter() throws Exception {
        Senders.udp(
                node.syslogPort(),
                List.of(
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] example.com from 192.168.1.10",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[AAAA] example.com from 192.168.1.10",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] example.com from 192.168.1.10",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] odd,\"name\"\tand%.test from 192.168.1.11",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.10 aa:bb:cc:dd:ee:10 laptop",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] =cmd|' /c calc'!a0.test from 192.168.1.12",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] @sum.test from 192.168.1.12",
                        "<30>Nov 22 01:59:47 OpenWrt dnsmasq-dhcp[1]: DHCPACK(br-lan) 192.168.1.12 aa:bb:cc:dd:ee:12 "
                                + "=cmd|' /C calc'!A0"));
        settle(8);
        String csv = Http.get(node.httpPort(), "/clients.csv").body();
        assertThat(csv.lines())
                .containsExactly(
                        "192.168.1.10,example.com,3,aa:bb:cc:dd:ee:10,laptop,,,OpenWrt",
                        "192.168.1.11,\"odd,\"\"name\"\"\\009and%.test\",1,,,,,OpenWrt",
                        "192.168.1.12,\"'=cmd|' /c calc'!a0.test\",1,aa:bb:cc:dd:ee:12,\"'=cmd|' /C calc'!A0\",,,OpenWrt",
                        "192.168.1.12,\"'@sum.test\",1,aa:bb:cc:dd:ee:12,\"'=cmd|' /C calc'!A0\",,,OpenWrt");
        String tsv = Http.get(node.httpPort(), "/clients.tsv").body();
        assertThat(tsv.lines())
                .containsExactlyInAnyOrder(
                        "192.168.1.10\texample.com\tA\t2\taa:bb:cc:dd:ee:10\tlaptop\tOpenWrt",
                        "192.168.1.10\texample.com\tAAAA\t1\taa:bb:cc:dd:ee:10\tlaptop\tOpenWrt",
                        "192.168.1.11\todd,\"name\"\\009and%25.test\tA\t1\t\t\tOpenWrt",
                        "192.168.1.12\t%3Dcmd|' /c calc'!a0.test\tA\t1\taa:bb:cc:dd:ee:12\t%3Dcmd|' /C calc'!A0\tOpenWrt",
                        "192.168.1.12\t%40sum.test\tA\t1\taa:bb:cc:dd:ee:12\t%3Dcmd|' /C calc'!A0\tOpenWrt");
        assertThat(Http.get(node.httpPort(), "/clients.tsv?router=OpenWrt").body())
                .isEqualTo(tsv);
        assertThat(Http.get(node.httpPort(), "/clients.tsv?router=other").body())
                .isEmpty();
        assertThat(Http.get(node.httpPort(), "/").body())
                .contains("/clients.csv")
                .contains("/clients.tsv");
    }

    @Test
    void firewallAndProxyLogsBecomeTheirOwnCounters() throws Exception {
        Senders.udp(
                node.syslogPort(),
                List.of(
                        "<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.1] drop wan in: IN=eth1 OUT= SRC=203.0.113.9 "
                                + "DST=198.51.100.2 LEN=60 PROTO=TCP SPT=51515 DPT=22 SYN",
                        "<4>Nov 22 01:59:47 OpenWrt kernel: [ 8452.2] drop wan in: IN=eth1 OUT= SRC=203.0.113.9 "
                                + "DST=198.51.100.2 LEN=60 PROTO=TCP SPT=51516 DPT=22 SYN",
                        "<134>Nov 22 01:59:47 proxy haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in "
                                + "static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\""));
        Exposition m = settle(3);
        assertThat(m.value(
                        "routerlog_firewall_packets_total",
                        "prefix",
                        "drop wan in:",
                        "src",
                        "203.0.113.9",
                        "dst",
                        "198.51.100.2",
                        "proto",
                        "TCP",
                        "dport",
                        "22"))
                .isEqualTo(2.0);
        assertThat(m.value(
                        "routerlog_http_requests_total",
                        "client",
                        "10.0.1.2",
                        "frontend",
                        "http-in",
                        "backend",
                        "static",
                        "status",
                        "200"))
                .isEqualTo(1.0);
        assertThat(m.value("routerlog_syslog_program_messages_total", "program", "haproxy"))
                .isEqualTo(1.0);
        // the same series, most first, from the query API
        assertThat(Http.get(node.httpPort(), "/api/v1/top/firewall").body())
                .isEqualTo("{\"items\":[{\"prefix\":\"drop wan in:\",\"src\":\"203.0.113.9\",\"dst\":"
                        + "\"198.51.100.2\",\"proto\":\"TCP\",\"dport\":\"22\",\"packets\":2}]}");
        assertThat(Http.get(node.httpPort(), "/api/v1/top/http?limit=1").body())
                .isEqualTo("{\"items\":[{\"client\":\"10.0.1.2\",\"frontend\":\"http-in\",\"backend\":"
                        + "\"static\",\"status\":\"200\",\"requests\":1}]}");
    }

    @Test
    void overLongNamesAreCountedPerClientAndInTheirTunnel() throws Exception {
        String data = ("q".repeat(63) + ".").repeat(4);
        // 314 base32 characters: a ClientID (0123456789abcdef) and data, in five labels as a dnstt client splits them
        String tunnelName = "aerukz4jvpg672fbukr2jjngu6ua" + "a".repeat(35) + "." + ("b".repeat(63) + ".").repeat(3)
                + "c".repeat(62) + ".t.example.com";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            s.append("<30>Dec  2 10:00:00 OpenWrt dnsmasq[1]: query[TXT] ")
                    .append(data)
                    .append("x")
                    .append(i)
                    .append(".exfil.example.org from 192.168.1.66\n");
        }
        s.append("<30>Dec  2 10:00:00 OpenWrt dnsmasq[1]: query[TXT] ")
                .append(tunnelName)
                .append(" from 192.168.1.67\n");
        Senders.tcp(node.syslogPort(), s.toString());
        Exposition m = settle(4);
        assertThat(m.queryCounts())
                .containsOnly(entry("192.168.1.66 example.org TXT", 3L), entry("192.168.1.67 t.example.com TXT", 1L));
        assertThat(m.value(
                        "routerlog_dns_long_names_total",
                        "router",
                        "OpenWrt",
                        "client",
                        "192.168.1.66",
                        "domain",
                        "example.org"))
                .isEqualTo(3.0);
        assertThat(m.samples("routerlog_dns_long_names_total")).hasSize(1);
        assertThat(m.value("dnstt_queries_total", "domain", "t.example.com")).isEqualTo(1.0);
        assertThat(m.value("dnstt_bytes_in_total", "domain", "t.example.com"))
                .isEqualTo(12 + tunnelName.length() + 2 + 4 + 11.0);
        for (Exposition.Sample d : m.samples("routerlog_syslog_dropped_total")) {
            assertThat(d.value()).as(d.labels().toString()).isZero();
        }
    }

    @Test
    void healthzIsOkWhileRunning() throws Exception {
        assertThat(Http.get(node.httpPort(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(Http.get(node.httpPort(), "/nope").statusCode()).isEqualTo(404);
    }
}
