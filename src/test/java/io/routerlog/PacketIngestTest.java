package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.GeoFixtures;
import io.routerlog.testing.Http;
import io.routerlog.testing.PcapWriter;
import io.routerlog.testing.Waiting;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Packet captures through the store to exact values on /metrics, and the {@code ingest} subcommand. */
class PacketIngestTest {
    private static final String DOMAIN = "t.example.com";

    /** What {@link #traffic} put in the capture. */
    static final class Expected {
        final Map<String, Long> queries = new TreeMap<>();
        final Map<String, Long> outcomes = new TreeMap<>();
        long tunnelQueries;
        long bytesIn;
        final Map<String, Long> bytesOut = new TreeMap<>();
    }

    /** Ordinary clients over UDP and TCP, IPv4 and IPv6, their answers, and DNSTT traffic through two resolvers. */
    static byte[][] traffic(Expected e) {
        String[] clients = {"192.168.1.20", "192.168.1.21", "fd00::20"};
        String[] names = {"www.example.com", "Mail.Example.ORG", "example.net"};
        int[] types = {Type.A, Type.AAAA, Type.HTTPS};
        PcapWriter pcap = new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET);
        PcapWriter pcapng = new PcapWriter(PcapWriter.Format.PCAPNG_BE, PcapWriter.SLL2);
        int id = 0;
        for (int round = 0; round < 7; round++) {
            for (int c = 0; c < clients.length; c++) {
                String client = clients[c];
                String server = client.contains(":") ? "fd00::1" : "192.168.1.1";
                String name = names[(round + c) % names.length];
                int type = types[round % types.length];
                byte[] q = PcapWriter.query(++id, name, type);
                int rcode = round == 3 ? Rcode.NXDOMAIN : Rcode.NOERROR;
                int answers = round % 2;
                byte[] r = PcapWriter.response(q, rcode, answers);
                PcapWriter w = c % 2 == 0 ? pcap : pcapng;
                if (round == 5) {
                    w.ip(PcapWriter.tcp(client, 50000 + c, server, 53, PcapWriter.tcpDns(q)));
                    w.ip(PcapWriter.tcp(server, 53, client, 50000 + c, PcapWriter.tcpDns(r)));
                } else {
                    w.ip(PcapWriter.udp(client, 40000 + round, server, 53, q));
                    w.ip(PcapWriter.udp(server, 53, client, 40000 + round, r));
                }
                e.queries.merge(
                        client.replace("fd00::20", "fd00::20") + " " + name.toLowerCase(Locale.ROOT) + " "
                                + Type.string(type),
                        1L,
                        Long::sum);
                e.outcomes.merge(
                        rcode == Rcode.NXDOMAIN ? "nxdomain" : answers > 0 ? "answered" : "nodata", 1L, Long::sum);
            }
        }
        // DNSTT: three sessions through two resolvers; the tunnel server (203.0.113.1) answers each
        String[] resolvers = {"198.51.100.7", "2001:db8::53"};
        long[] sessions = {1L, 0x0123456789abcdefL, -1L};
        for (int round = 0; round < 10; round++) {
            for (int s = 0; s < sessions.length; s++) {
                String resolver = resolvers[(round + s) % 2];
                String server = resolver.contains(":") ? "2001:db8::1" : "203.0.113.1";
                String name = round % 3 == 0
                        ? DnsttClientNames.data(sessions[s], ("data " + round).getBytes(StandardCharsets.UTF_8), DOMAIN)
                        : DnsttClientNames.poll(sessions[s], DOMAIN);
                byte[] q = PcapWriter.query(++id, name, Type.TXT);
                byte[] r = PcapWriter.response(q, Rcode.NOERROR, 1 + round % 3);
                PcapWriter w = s == 0 ? pcap : pcapng;
                w.ip(PcapWriter.udp(resolver, 30000 + round, server, 53, q));
                w.ip(PcapWriter.udp(server, 53, resolver, 30000 + round, r));
                e.tunnelQueries++;
                e.bytesIn += q.length;
                e.bytesOut.merge(resolver, (long) r.length, Long::sum);
                e.queries.merge(resolver + " " + DOMAIN + " TXT", 1L, Long::sum);
                e.outcomes.merge("answered", 1L, Long::sum);
            }
        }
        return new byte[][] {pcap.bytes(), PcapWriter.gzip(pcapng.bytes())};
    }

    private static void assertCounted(Exposition m, Expected e, long bytesOut) {
        assertThat(m.queryCounts()).isEqualTo(e.queries);
        for (Map.Entry<String, Long> o : e.outcomes.entrySet()) {
            assertThat(m.value("routerlog_dns_replies_total", "outcome", o.getKey()))
                    .as(o.getKey())
                    .isEqualTo(o.getValue().doubleValue());
        }
        assertThat(m.value("dnstt_queries_total", "domain", DOMAIN)).isEqualTo((double) e.tunnelQueries);
        assertThat(m.value("dnstt_bytes_in_total", "domain", DOMAIN)).isEqualTo((double) e.bytesIn);
        assertThat(m.value("dnstt_bytes_out_total", "domain", DOMAIN)).isEqualTo((double) bytesOut);
        assertThat(m.value("dnstt_sessions_total", "domain", DOMAIN)).isEqualTo(3);
        assertThat(m.value("dnstt_active_clients", "domain", DOMAIN)).isEqualTo(3);
    }

    @Test
    void capturesCountLikeTheQueryLogWithRealTunnelBytesInAndOut() throws Exception {
        Expected e = new Expected();
        byte[][] files = traffic(e);
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--dnstt-domain", DOMAIN))) {
            // before any packet: no packet metrics, no bytes out
            Exposition before = Http.metrics(node.httpPort());
            assertThat(before.samples("dnstt_bytes_out_total")).isEmpty();
            assertThat(before.samples("routerlog_packets_total")).isEmpty();
            for (byte[] f : files) {
                node.newPacketReader().read(new ByteArrayInputStream(f));
            }
            node.flush();
            Exposition m = Http.metrics(node.httpPort());
            assertCounted(
                    m,
                    e,
                    e.bytesOut.values().stream().mapToLong(Long::longValue).sum());
            long messages = 2L * (7 * 3 + 10 * 3);
            assertThat(m.value("routerlog_packets_total", "result", "query")).isEqualTo(messages / 2.0);
            assertThat(m.value("routerlog_packets_total", "result", "response")).isEqualTo(messages / 2.0);
            assertThat(m.value("routerlog_packets_total", "result", "malformed"))
                    .isZero();
            assertThat(node.packetCounters().truncatedFiles.sum()).isZero();
        }
    }

    @Test
    void aFileWithMoreNewPairsThanABatchHoldsWaitsForTheFlusherInsteadOfDropping() throws Exception {
        // a receive thread's batch holds 4096 pairs (--max-pairs 4096); reading is much faster than a flush
        int pairs = 6_000;
        PcapWriter w = new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.RAW);
        for (int i = 0; i < pairs; i++) {
            w.ip(PcapWriter.udp(
                    "10.0." + (i % 7) + ".1",
                    1000,
                    "10.0.0.254",
                    53,
                    PcapWriter.query(i, "host" + i + ".example", Type.A)));
        }
        try (RouterLog node =
                RouterLog.start(RouterLogTest.settings("--max-pairs", "4096", "--flush-interval", "5s"))) {
            node.newPacketReader().read(new ByteArrayInputStream(w.bytes()));
            node.flush();
            Exposition m = Http.metrics(node.httpPort());
            assertThat(m.value("routerlog_syslog_dropped_total", "reason", "aggregation_full"))
                    .isZero();
            assertThat(m.value("routerlog_packets_total", "result", "query")).isEqualTo(pairs);
            // the store keeps its bound by evicting, not by losing counts early
            assertThat(m.queryCounts().size()).isLessThanOrEqualTo(4096);
            assertThat(m.queryCounts().size() + m.value("routerlog_dns_pairs_evicted_total"))
                    .isEqualTo(pairs);
        }
    }

    @Test
    void bytesOutAreCountedPerAddressTheResponsesWentTo(@TempDir Path dir) throws Exception {
        Expected e = new Expected();
        byte[][] files = traffic(e);
        Path[] db = GeoFixtures.write(dir);
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(
                "--dnstt-domain",
                DOMAIN,
                "--geoip-country-db",
                db[0].toString(),
                "--geoip-asn-db",
                db[1].toString()))) {
            for (byte[] f : files) {
                node.newPacketReader().read(new ByteArrayInputStream(f));
            }
            node.flush();
            Exposition m = Http.metrics(node.httpPort());
            // neither resolver is in the GeoIP fixtures: both under ZZ/0, so compare the sum per label set
            double sum = m.samples("dnstt_bytes_out_total").stream()
                    .mapToDouble(Exposition.Sample::value)
                    .sum();
            assertThat(sum).isEqualTo((double)
                    e.bytesOut.values().stream().mapToLong(Long::longValue).sum());
            assertThat(m.samples("dnstt_bytes_out_total"))
                    .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("domain", "country", "asn"));
        }
    }

    @Test
    void ingestSubcommandJoinsTheClusterAndItsCountsStayAfterItLeaves(@TempDir Path dir) throws Exception {
        Expected e = new Expected();
        byte[][] files = traffic(e);
        Path plain = dir.resolve("a.pcap");
        Path zipped = dir.resolve("b.pcapng.gz");
        Files.write(plain, files[0]);
        Files.write(zipped, files[1]);
        int[] ports = freePorts(2);
        String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        String name = "ingest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<String> cluster = List.of(
                "--cluster-name",
                name,
                "--cluster-interface",
                "127.0.0.1",
                "--cluster-members",
                members,
                "--dnstt-domain",
                DOMAIN,
                "--backup-count",
                "0");
        List<String> nodeArgs = new ArrayList<>(cluster);
        nodeArgs.addAll(List.of("--cluster-port", Integer.toString(ports[0])));
        try (RouterLog node = RouterLog.start(RouterLogTest.settings(nodeArgs.toArray(String[]::new)))) {
            List<String> args = new ArrayList<>(List.of(
                    "ingest",
                    plain.toString(),
                    zipped.toString(),
                    "--progress",
                    "always",
                    "--cluster-port",
                    Integer.toString(ports[1]),
                    "--log-level",
                    "warn"));
            args.addAll(cluster);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(
                    args.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("ingested 2 file(s)").contains((7 * 3 + 10 * 3) + " queries");
            assertThat(err.toString()).contains("] 100% ").contains(" packets ");
            Exposition m = Http.metrics(node.httpPort(), "/metrics?scope=cluster");
            // the ingesting member has left; what it flushed is in the cluster's maps, its sessions too
            assertCounted(
                    m,
                    e,
                    e.bytesOut.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run ingest(String... args) {
        List<String> all =
                new ArrayList<>(List.of("ingest", "--http-port", "0", "--progress", "never", "--log-level", "warn"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(all.toArray(String[]::new), Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void ingestReportsUnreadableAndDamagedFiles(@TempDir Path dir) throws Exception {
        Expected e = new Expected();
        byte[][] files = traffic(e);
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(files[0], files[0].length - 7));
        Path text = Files.writeString(dir.resolve("dnsmasq.log"), "Jan  5 02:03:04 dnsmasq[1]: query[A] a.test\n");
        Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        Path directory = Files.createDirectory(dir.resolve("captures"));
        Path missing = dir.resolve("missing.pcap");
        Run r = ingest(cut.toString(), missing.toString(), text.toString(), empty.toString(), directory.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines())
                .containsExactly(
                        "routerlog ingest: " + cut + ": truncated or corrupt, read up to the damage",
                        "routerlog ingest: cannot read " + missing + ": no such file",
                        "routerlog ingest: " + text + ": not a pcap or pcapng file (plain or gzip-compressed)",
                        "routerlog ingest: " + empty + ": empty, not a capture",
                        "routerlog ingest: cannot read " + directory + ": is a directory");
        // the summary counts the files read, and their bytes
        assertThat(r.out())
                .contains("ingested 1 of 5 file(s), " + Files.size(cut) + " bytes: ")
                .contains("1 truncated files");
    }

    @Test
    void aFileThatIsNotACaptureIsAFailure(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a capture\n");
        Run r = ingest(text.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(text + ": not a pcap or pcapng file");
        assertThat(r.out()).contains("ingested 0 of 1 file(s), 0 bytes");
    }

    @Test
    void aCaptureWithNoPacketOnTheDnsPortSuggestsCapturePort(@TempDir Path dir) throws Exception {
        PcapWriter w = new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET);
        for (int i = 0; i < 14; i++) {
            byte[] q = PcapWriter.query(i, "host" + i + ".example.com", Type.A);
            w.ip(PcapWriter.udp("192.168.1.20", 40000 + i, "192.168.1.1", 5353, q));
            w.ip(PcapWriter.udp("192.168.1.1", 5353, "192.168.1.20", 40000 + i, PcapWriter.response(q, 0, 1)));
        }
        Path f = Files.write(dir.resolve("dns-5353.pcap"), w.bytes());
        Run r = ingest(f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().lines())
                .containsExactly("routerlog ingest: " + f + ": 28 packet(s), none to or from "
                        + "port 53; the ports seen most: 5353 (28), 40000 (2), 40001 (2). Was DNS on another port? Then read "
                        + "it with --capture-port 5353");
        assertThat(r.out()).contains("ingested 1 file(s)").contains("28 not DNS");

        r = ingest(f.toString(), "--capture-port", "5353");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("(14 queries, 14 responses)");
    }

    @Test
    void aLoneIngestNodeServesItsMetricsForServeAfter(@TempDir Path dir) throws Exception {
        Expected e = new Expected();
        byte[][] files = traffic(e);
        Path f = dir.resolve("capture.pcapng.gz");
        Files.write(f, files[1]);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.run(
                new String[] {
                    "ingest",
                    f.toString(),
                    "--dnstt-domain",
                    DOMAIN,
                    "--http-address",
                    "127.0.0.1",
                    "--http-port",
                    "0",
                    "--serve-after",
                    "3s",
                    "--progress",
                    "never"
                },
                Map.of(),
                new PrintWriter(out, true),
                new PrintWriter(err, true)));
        Pattern serving = Pattern.compile("serving /metrics on port (\\d+) for 3s");
        Waiting.atMost(Duration.ofSeconds(60), Duration.ofMillis(50))
                .failFast(() -> assertThat(code).as(err.toString()).isNotDone())
                .untilAsserted(() -> assertThat(serving.matcher(out.toString()).find())
                        .as(out + "\n" + err)
                        .isTrue());
        Matcher matcher = serving.matcher(out.toString());
        assertThat(matcher.find()).isTrue();
        Exposition m = Http.metrics(Integer.parseInt(matcher.group(1)));
        assertThat(m.value("dnstt_queries_total", "domain", DOMAIN)).isEqualTo(20);
        assertThat(m.samples("dnstt_bytes_out_total")).hasSize(1);
        assertThat(code.get(30, TimeUnit.SECONDS)).isZero();
    }

    private static int[] freePorts(int n) throws Exception {
        int[] ports = new int[n];
        ServerSocket[] s = new ServerSocket[n];
        for (int i = 0; i < n; i++) {
            s[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            ports[i] = s[i].getLocalPort();
        }
        for (ServerSocket x : s) {
            x.close();
        }
        return ports;
    }
}
