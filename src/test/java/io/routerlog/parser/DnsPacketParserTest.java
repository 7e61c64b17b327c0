package io.routerlog.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.ReplyOutcome;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.DnsttNames;
import io.routerlog.rules.Rules;
import io.routerlog.source.PcapReader;
import io.routerlog.stats.PacketCounters;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.PcapWriter;
import io.routerlog.testing.RecordingSink;
import io.routerlog.testing.RecordingSink.Query;
import io.routerlog.testing.RecordingSink.Tunnel;
import io.routerlog.testing.RecordingSink.TunnelResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class DnsPacketParserTest {
    private static final String TUNNEL = "t.example.com";
    private final PacketCounters counters = new PacketCounters();
    private final PipelineCounters pipeline = new PipelineCounters();
    private final RecordingSink sink = new RecordingSink();

    /** What reached the sink, in order, one line an event. */
    private List<String> events() {
        return sink.inOrder.stream()
                .map(e -> {
                    if (e instanceof Query q) {
                        return "query " + q.client() + " " + q.domain() + " " + q.qtype();
                    } else if (e instanceof Tunnel t) {
                        return "tunnel " + t.sender() + " "
                                + (t.hasSession() ? DnsttNames.hex(t.clientId()) : "invalid") + " " + t.wireBytes();
                    } else if (e instanceof TunnelResponse r) {
                        return "tunnel-out " + r.sender() + " " + r.wireBytes();
                    } else if (e instanceof ReplyOutcome outcome) {
                        return "reply " + outcome.label();
                    }
                    return String.valueOf(e);
                })
                .toList();
    }

    private void read(PcapWriter w) throws IOException {
        Rules rules =
                new Rules(List.of("ignored.test"), List.of("T.Example.COM."), ClientAnonymizer.none(), pipeline, sink);
        new PcapReader(new DnsPacketParser(rules, counters), counters, 53).read(new ByteArrayInputStream(w.bytes()));
    }

    private static byte[] udpQuery(String client, String name, int type) {
        return PcapWriter.udp(
                client, 33333, client.contains(":") ? "fd00::1" : "192.168.1.1", 53, PcapWriter.query(7, name, type));
    }

    @Test
    void queriesBecomeTheEventsOfTheLogLines() throws IOException {
        read(new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET)
                .ip(udpQuery("192.168.1.20", "WWW.Example.COM", Type.A))
                .ip(udpQuery("2001:db8:0:0:1:0:0:20", "example.org", Type.HTTPS))
                .ip(udpQuery("fd00:0:0:1::5", "x.example.org", 65280)) // unassigned: TYPE65280
                .ip(udpQuery("192.168.1.20", "a.ignored.test", Type.A))
                .ip(PcapWriter.udp("192.168.1.20", 1, "192.168.1.1", 53, PcapWriter.query(1, ".", Type.NS))));
        assertThat(events())
                .containsExactly(
                        "query 192.168.1.20 www.example.com A",
                        "query 2001:db8::1:0:0:20 example.org HTTPS",
                        "query fd00:0:0:1::5 x.example.org TYPE65280",
                        "query 192.168.1.20 . NS");
        // the router of a query in a packet is the resolver it was sent to
        assertThat(sink.routers).containsExactly("192.168.1.1", "fd00::1", "fd00::1", "192.168.1.1");
        assertThat(counters.queries.sum()).isEqualTo(5);
    }

    @Test
    void responsesBecomeReplyOutcomes() throws IOException {
        byte[] q = PcapWriter.query(9, "example.net", Type.A);
        PcapWriter w = new PcapWriter(PcapWriter.Format.PCAPNG_LE, PcapWriter.SLL2);
        for (int[] r : new int[][] {
            {Rcode.NOERROR, 2},
            {Rcode.NOERROR, 0},
            {Rcode.NXDOMAIN, 0},
            {Rcode.SERVFAIL, 0},
            {Rcode.REFUSED, 0},
            {Rcode.NOTIMP, 0}
        }) {
            w.ip(PcapWriter.udp("192.168.1.1", 53, "192.168.1.20", 40000, PcapWriter.response(q, r[0], r[1])));
        }
        read(w);
        assertThat(events())
                .containsExactly(
                        "reply answered",
                        "reply nodata",
                        "reply nxdomain",
                        "reply servfail",
                        "reply refused",
                        "reply error");
        assertThat(counters.responses.sum()).isEqualTo(6);
    }

    @Test
    void tunnelQueriesAndResponsesCarryTheirRealSizes() throws IOException {
        String poll = DnsttClientNames.poll(0x0123456789abcdefL, TUNNEL);
        byte[] q = PcapWriter.query(1, poll.toUpperCase(Locale.ROOT), Type.TXT);
        byte[] r = PcapWriter.response(q, Rcode.NOERROR, 1);
        byte[] bad = PcapWriter.query(2, "www." + TUNNEL, Type.A);
        read(new PcapWriter(PcapWriter.Format.PCAP_BE, PcapWriter.RAW)
                .ip(PcapWriter.udp("198.51.100.7", 4444, "203.0.113.1", 53, q))
                .ip(PcapWriter.udp("203.0.113.1", 53, "198.51.100.7", 4444, r))
                .ip(PcapWriter.tcp("2001:db8::53", 4445, "2001:db8::1", 53, PcapWriter.tcpDns(bad))));
        assertThat(events())
                .containsExactly(
                        "query 198.51.100.7 " + TUNNEL + " TXT",
                        "tunnel 198.51.100.7 0123456789abcdef " + q.length,
                        "reply answered",
                        "tunnel-out 198.51.100.7 " + r.length,
                        "query 2001:db8::53 " + TUNNEL + " A",
                        "tunnel 2001:db8::53 invalid " + bad.length);
    }

    @Test
    void undecodableMessagesAreCounted() throws IOException {
        byte[] junk = new byte[14];
        junk[5] = 1; // one question, whose name is cut after its first label's length
        junk[12] = 5;
        junk[13] = 'a';
        org.xbill.DNS.Message notify = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString("zone.example."), Type.SOA, org.xbill.DNS.DClass.IN));
        notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);
        read(new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET)
                .ip(PcapWriter.udp("10.0.0.1", 1, "10.0.0.2", 53, junk))
                .ip(PcapWriter.udp("10.0.0.1", 1, "10.0.0.2", 53, notify.toWire()))
                .ip(udpQuery("10.0.0.1", "ok.example", Type.A)));
        assertThat(events()).containsExactly("query 10.0.0.1 ok.example A");
        assertThat(counters.malformed.sum()).isEqualTo(1);
        assertThat(counters.notDns.sum()).isEqualTo(1);
    }

    /** A query (or, with {@code rcode} >= 0, a response) for a name DNS does not allow: built by hand. */
    private static byte[] overlong(String name, int type, int rcode) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        int flags = rcode < 0 ? 0x0100 : 0x8180 | rcode;
        m.writeBytes(new byte[] {0x12, 0x34, (byte) (flags >> 8), (byte) flags, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            m.write(label.length());
            m.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        m.writeBytes(new byte[] {0, (byte) (type >> 8), (byte) type, 0, 1});
        return m.toByteArray();
    }

    @Test
    void namesLongerThanDnsAllowsAreCountedUnderTheirRegistrableDomainOrTheirTunnel() throws IOException {
        String labels = ("q".repeat(63) + ".").repeat(5);
        byte[] exfil = overlong(labels + "Exfil.Example.ORG", Type.TXT, -1);
        String tunnelName = "aerukz4jvpg672fbukr2jjngu6ua" + "a".repeat(35) + "." + ("b".repeat(63) + ".").repeat(3)
                + "c".repeat(62) + "." + TUNNEL;
        byte[] tunnel = overlong(tunnelName, Type.TXT, -1);
        byte[] tunnelReply = overlong(tunnelName, Type.TXT, Rcode.NXDOMAIN);
        read(new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.RAW)
                .ip(PcapWriter.udp("192.168.1.30", 5000, "192.168.1.1", 53, exfil))
                .ip(PcapWriter.udp("192.168.1.30", 5001, "192.168.1.1", 53, tunnel))
                .ip(PcapWriter.udp("192.168.1.1", 53, "192.168.1.30", 5001, tunnelReply)));
        assertThat(events())
                .containsExactly(
                        "query 192.168.1.30 example.org TXT",
                        "query 192.168.1.30 " + TUNNEL + " TXT",
                        "tunnel 192.168.1.30 0123456789abcdef " + tunnel.length,
                        "reply nxdomain",
                        "tunnel-out 192.168.1.30 " + tunnelReply.length);
        assertThat(counters.malformed.sum()).isZero();
    }

    @Test
    void ignoredNamesInPacketsAreCountedAsIgnored() throws IOException {
        read(new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET)
                .ip(udpQuery("192.168.1.20", "a.Ignored.test", Type.A))
                .ip(udpQuery("192.168.1.20", "ignored.test", Type.AAAA)));
        assertThat(events()).isEmpty();
        assertThat(pipeline.ignoredQueries()).isEqualTo(2);
    }

    @Test
    void anIpv4MappedSourceIsTheIpv4Client() throws IOException {
        read(new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET)
                .ip(PcapWriter.udp(
                        "::ffff:192.168.1.23",
                        5000,
                        "::ffff:192.168.1.1",
                        53,
                        PcapWriter.query(3, "a.example", Type.A))));
        assertThat(events()).containsExactly("query 192.168.1.23 a.example A");
    }
}
