package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.Command;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.PcapWriter;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a user starts it, fed by real syslog clients. */
class RouterLogJarIT {

    /** Runs a command, feeding it {@code stdin}; fails on a non-zero exit. */
    private static String exec(String stdin, String... cmd) throws Exception {
        Command.Result r = Command.of(cmd)
                .stdin(stdin)
                .mergeStderr()
                .deadline(Duration.ofSeconds(60))
                .run();
        assertThat(r.finished()).as("%s finished", cmd[0]).isTrue();
        assertThat(r.exitCode())
                .as("%s exit code, output: %s", String.join(" ", cmd), r.out())
                .isZero();
        return r.out();
    }

    private static String lines(String format, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format(format, i % 5)).append('\n');
        }
        return b.toString();
    }

    @Test
    void utilLinuxLoggerRfc5424OctetCountedTcpAndRfc3164Udp() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start()) {
            String port = Integer.toString(r.syslogPort);
            exec(
                    lines("1 192.168.5.1/3000%d query[A] Logger5424.Example.TEST from 192.168.5.1", 40),
                    "logger",
                    "--tcp",
                    "--octet-count",
                    "--rfc5424",
                    "-n",
                    "127.0.0.1",
                    "-P",
                    port,
                    "-t",
                    "dnsmasq",
                    "--id=5533",
                    "-p",
                    "daemon.info");
            exec(
                    lines("query[AAAA] logger3164.test from 192.168.5.%d", 25),
                    "logger",
                    "--udp",
                    "--rfc3164",
                    "-n",
                    "127.0.0.1",
                    "-P",
                    port,
                    "-t",
                    "dnsmasq",
                    "--id=1",
                    "-p",
                    "daemon.info");
            exec(
                    lines("2 fd00::%d/40000 query[HTTPS] tcp-lf.test from fd00::1", 15),
                    "logger",
                    "--tcp",
                    "--rfc3164",
                    "-n",
                    "127.0.0.1",
                    "-P",
                    port,
                    "-t",
                    "dnsmasq",
                    "--id=1",
                    "-p",
                    "daemon.info");
            Exposition m = r.settle(80);
            Map<String, Long> expected = new TreeMap<>();
            expected.put("192.168.5.1 logger5424.example.test A", 40L);
            for (int i = 0; i < 5; i++) {
                expected.put("192.168.5." + i + " logger3164.test AAAA", 5L);
            }
            expected.put("fd00::1 tcp-lf.test HTTPS", 15L);
            assertThat(m.queryCounts()).isEqualTo(expected);
            assertThat(m.value("routerlog_syslog_messages_total", "transport", "tcp"))
                    .isEqualTo(55.0);
            assertThat(m.value("routerlog_syslog_messages_total", "transport", "udp"))
                    .isEqualTo(25.0);
            assertThat(m.value("routerlog_syslog_dropped_total", "reason", "bad_header"))
                    .isZero();
        }
    }

    @Test
    void rawSocketsInEveryLogdVariant() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start("--dnstt-domain", "t.example.com")) {
            List<String> udp = new ArrayList<>();
            StringBuilder lf = new StringBuilder();
            StringBuilder nul = new StringBuilder();
            String[] headers = {
                "<30>Jan  5 02:03:04 OpenWrt ", // log_hostname
                "<30>Jan  5 02:03:04 ", // no hostname
                "<30>Jan 15 02:03:04 OpenWrt r1: ", // log_prefix
                "<30>Jan 15 02:03:04 r1: "
            }; // prefix without hostname
            String[] bodies = {
                "dnsmasq[1]: query[A] plain.test from 10.3.0.1",
                "dnsmasq[1]: 3689 10.3.0.1/52226 query[A] plain.test from 10.3.0.1",
                "dnsmasq[2345]: TCP -7 10.3.0.1/52227 query[A] PLAIN.test. from 10.3.0.1",
                "dnsmasq-dhcp[1]: DHCPACK(br-lan) 10.3.0.1 02:00:00:00:00:01 phone"
            };
            for (String h : headers) {
                for (String b : bodies) {
                    udp.add(h + b);
                    udp.add(h + b + "\n");
                    lf.append(h).append(b).append('\n');
                    nul.append(h).append(b).append('\0');
                }
            }
            Senders.udp(r.syslogPort, udp);
            Senders.tcp(r.syslogPort, lf.toString());
            Senders.tcp(r.syslogPort, nul.toString());
            Senders.tcp(
                    r.syslogPort,
                    "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: 9 10.3.0.9/1 query[TXT] "
                            + "aerukz4jvpg672fbukr2jjngu6ua.t.example.com from 10.3.0.9\n");
            Exposition m = r.settle(4 * 4 * 4 + 1);
            // 4 headers x 3 query bodies x (2 udp + lf + nul)
            assertThat(m.queryCounts())
                    .isEqualTo(Map.of(
                            "10.3.0.1 plain.test A", 48L,
                            "10.3.0.9 t.example.com TXT", 1L));
            // the router: OpenWrt from the HOSTNAME, the sender's address where a line has none
            assertThat(m.queryCountsByRouter())
                    .isEqualTo(Map.of(
                            "OpenWrt 10.3.0.1 plain.test A", 24L,
                            "127.0.0.1 10.3.0.1 plain.test A", 24L,
                            "OpenWrt 10.3.0.9 t.example.com TXT", 1L));
            assertThat(m.samples("routerlog_dhcp_lease_info"))
                    .extracting(Exposition.Sample::labels)
                    .containsExactlyInAnyOrder(
                            Map.of(
                                    "router",
                                    "OpenWrt",
                                    "client",
                                    "10.3.0.1",
                                    "mac",
                                    "02:00:00:00:00:01",
                                    "hostname",
                                    "phone"),
                            Map.of(
                                    "router",
                                    "127.0.0.1",
                                    "client",
                                    "10.3.0.1",
                                    "mac",
                                    "02:00:00:00:00:01",
                                    "hostname",
                                    "phone"));
            assertThat(m.value("routerlog_dnsmasq_lines_total", "kind", "dhcp_ack"))
                    .isEqualTo(16.0);
        }
    }

    @Test
    void promtoolAcceptsTheScrapeWhateverNamesArrive() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start()) {
            Senders.udp(
                    r.syslogPort,
                    List.of(
                            "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] quo\"te.test from 10.4.0.1",
                            "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] back\\slash.test from 10.4.0.1",
                            "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] \u00fcml\u00e4ut.test from 10.4.0.1",
                            "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] <name unprintable> from 10.4.0.1",
                            "<30>Jan  5 02:03:04 OpenWrt dnsmasq-dhcp[1]: DHCPACK(br-lan) 10.4.0.2 aa:bb:cc:dd:ee:04 a\"b\\c",
                            "<30>Jan  5 02:03:04 OpenWrt {weird}program[1]: hello"));
            // octet counting carries a newline inside a message
            Senders.tcp(
                    r.syslogPort,
                    Senders.octet("<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] new\nline.test from 10.4.0.1"));
            Exposition m = r.settle(7);
            // names in their stored form: unprintable bytes and the backslash as \DDD
            assertThat(m.queryCounts())
                    .containsKeys(
                            "10.4.0.1 quo\"te.test A",
                            "10.4.0.1 back\\092slash.test A",
                            "10.4.0.1 new\\010line.test A",
                            "10.4.0.1 \\195\\188ml\\195\\164ut.test A",
                            "10.4.0.1 <name unprintable> A");
            String body = Http.get(r.httpPort, "/metrics").body();
            Path file = Files.createTempFile("scrape", ".prom");
            try {
                Files.writeString(file, body);
                String out = exec(body, "promtool", "check", "metrics");
                assertThat(out).doesNotContain("error");
            } finally {
                Files.delete(file);
            }
        }
    }

    @Test
    void badValueExitsWithCode2AndAOneLineError() throws Exception {
        Command.Result r = Command.of(
                        RouterLogProcess.javaBin(),
                        "-jar",
                        RouterLogProcess.jar().toString(),
                        "--syslog-port",
                        "nope")
                .mergeStderr()
                .deadline(Duration.ofSeconds(30))
                .run();
        assertThat(r.finished()).isTrue();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out().lines().findFirst().orElse(""))
                .startsWith("routerlog: ")
                .contains("--syslog-port")
                .contains("nope");
    }

    @Test
    void portInUseIsAClearStartUpError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Command.Result r = Command.of(
                            RouterLogProcess.javaBin(),
                            "-jar",
                            RouterLogProcess.jar().toString(),
                            "--listen-address",
                            "127.0.0.1",
                            "--http-address",
                            "127.0.0.1",
                            "--http-port",
                            Integer.toString(RouterLogProcess.freePortForUdpAndTcp()),
                            "--syslog-port",
                            Integer.toString(taken.getLocalPort()))
                    .mergeStderr()
                    .deadline(Duration.ofSeconds(60))
                    .run();
            assertThat(r.finished()).isTrue();
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out())
                    .contains("routerlog: cannot start: cannot listen on tcp 127.0.0.1 port " + taken.getLocalPort());
        }
    }

    @Test
    @SuppressWarnings("try") // the appliance only runs beside the ingest
    void ingestBesideARunningApplianceSaysNothingAboutItsClusterPort() throws Exception {
        int clusterPort = RouterLogProcess.freePortForUdpAndTcp();
        try (RouterLogProcess appliance = RouterLogProcess.start("--cluster-port", Integer.toString(clusterPort))) {
            Path capture = Files.createTempFile("ingest", ".pcap");
            try {
                Files.write(
                        capture,
                        new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET)
                                .ip(PcapWriter.udp(
                                        "192.168.1.20",
                                        40000,
                                        "192.168.1.1",
                                        53,
                                        PcapWriter.query(1, "a.example", org.xbill.DNS.Type.A)))
                                .bytes());
                // the ingest node takes the next free cluster port, as asked: no warning about it
                String out = exec(
                        "",
                        RouterLogProcess.javaBin(),
                        "-jar",
                        RouterLogProcess.jar().toString(),
                        "ingest",
                        "--cluster-port",
                        Integer.toString(clusterPort),
                        "--http-port",
                        "0",
                        "--progress",
                        "never",
                        capture.toString());
                assertThat(out.lines()).singleElement().asString().startsWith("ingested 1 file(s)");
                // with info logs, the port it took is said in routerlog's words
                out = exec(
                        "",
                        RouterLogProcess.javaBin(),
                        "-jar",
                        RouterLogProcess.jar().toString(),
                        "ingest",
                        "--cluster-port",
                        Integer.toString(clusterPort),
                        "--http-port",
                        "0",
                        "--progress",
                        "never",
                        "--log-level",
                        "info",
                        capture.toString());
                assertThat(out)
                        .contains("Cluster port " + clusterPort + " is in use; this node took ")
                        .doesNotContain("WARN")
                        .doesNotContain("occupied");
            } finally {
                Files.deleteIfExists(capture);
            }
        }
    }

    @Test
    void sigtermStopsCleanly() throws Exception {
        RouterLogProcess r = RouterLogProcess.start();
        try {
            Senders.tcp(r.syslogPort, "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] bye.test from 10.5.0.1\n");
            r.process.destroy(); // SIGTERM
            assertThat(r.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(r.output())
                    .contains("Stopping: closing listeners, flushing counts")
                    .contains("Stopped");
        } finally {
            r.close();
        }
    }

    @Test
    void healthzAndIndex() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start()) {
            assertThat(Http.get(r.httpPort, "/healthz").body()).isEqualTo("ok\n");
            String page = Http.get(r.httpPort, "/").body();
            assertThat(page).contains("/metrics");
            // the web page's assets come out of the shaded jar, under the names the page gives them
            java.util.regex.Matcher assets = java.util.regex.Pattern.compile("/web/[A-Za-z.-]+\\?v=[0-9a-f]+")
                    .matcher(page);
            int found = 0;
            while (assets.find()) {
                var asset = Http.get(r.httpPort, assets.group());
                assertThat(asset.statusCode()).as(assets.group()).isEqualTo(200);
                assertThat(asset.body()).as(assets.group()).isNotEmpty();
                found++;
            }
            assertThat(found)
                    .as("app.js, app.css, uPlot.js, uPlot.css and uPlot's licence")
                    .isEqualTo(5);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void loadGeneratorSendsAndTheReceiverCountsEverything() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start()) {
            for (String protocol : List.of("tcp", "udp")) {
                String out = exec(
                        "",
                        RouterLogProcess.javaBin(),
                        "-jar",
                        RouterLogProcess.jar().toString(),
                        "loadgen",
                        "--target",
                        "127.0.0.1:" + r.syslogPort,
                        "--protocol",
                        protocol,
                        "--rate",
                        "2000,4000",
                        "--duration",
                        "2s",
                        "--churn",
                        "50",
                        "--metrics",
                        "http://127.0.0.1:" + r.httpPort + "/metrics");
                assertThat(out).contains("(0 lost)").containsPattern("and (\\d+) of \\1 queries");
                // the rate is kept to the end of each step (TCP writes about a millisecond's lines at once)
                Matcher sent = Pattern.compile("loadgen: sent (\\d+) lines").matcher(out);
                assertThat(sent.find()).as(out).isTrue();
                assertThat(Long.parseLong(sent.group(1))).as(protocol).isBetween(11_900L, 12_000L);
            }
        }
    }

    @Test
    void aScrapeCutOffHalfWayDoesNoHarm() throws Exception {
        try (RouterLogProcess r = RouterLogProcess.start()) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                lines.append("<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] n")
                        .append(i)
                        .append(".test from 10.6.0.1\n");
            }
            Senders.tcp(r.syslogPort, lines.toString());
            r.settle(3000);
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket("127.0.0.1", r.httpPort)) {
                    s.getOutputStream()
                            .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().readNBytes(200);
                    s.setSoLinger(true, 0); // reset, not a polite close
                }
            }
            Senders.tcp(r.syslogPort, "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] after.test from 10.6.0.1\n");
            Exposition m = r.settle(3001);
            assertThat(m.queryCounts()).hasSize(3001).containsEntry("10.6.0.1 after.test A", 1L);
            assertThat(r.output()).doesNotContain("ERROR");
        }
    }

    @Test
    void aFullDiskForItsLogDoesNotStopIt() throws Exception {
        int syslog = RouterLogProcess.freePortForUdpAndTcp();
        int http = RouterLogProcess.freePortForUdpAndTcp();
        Process p = Command.of(
                        RouterLogProcess.javaBin(),
                        "-jar",
                        RouterLogProcess.jar().toString(),
                        "--listen-address",
                        "127.0.0.1",
                        "--http-address",
                        "127.0.0.1",
                        "--syslog-port",
                        Integer.toString(syslog),
                        "--http-port",
                        Integer.toString(http),
                        "--flush-interval",
                        "200ms",
                        "--log-level",
                        "debug")
                .start(Path.of("/dev/full"));
        try {
            AtomicBoolean healthy = new AtomicBoolean();
            // ends early if it exits: then it did not start
            Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                try {
                    healthy.set(Http.get(http, "/healthz").statusCode() == 200);
                } catch (IOException notYet) {
                    // not listening yet
                }
                return healthy.get() || !p.isAlive();
            });
            assertThat(healthy.get())
                    .as("started although every log write fails")
                    .isTrue();
            Senders.tcp(syslog, "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] disk.full from 10.7.0.1\n");
            Thread.sleep(1000);
            assertThat(Http.metrics(http).queryCounts()).containsEntry("10.7.0.1 disk.full A", 1L);
        } finally {
            Command.stop(p, Duration.ofSeconds(30));
        }
    }
}
