package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routerlog.testing.Certificates;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import io.routerlog.testing.Loggen;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Rsyslog;
import io.routerlog.testing.SyslogNg;
import io.routerlog.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * dnsmasq's log forwarded through real syslog relays, as users set them up: Debian's rsyslog ({@code omfwd}) and
 * syslog-ng (its {@code syslog()} and {@code network()} drivers), and syslog-ng's {@code loggen}, into a whole node in
 * this JVM. Each test runs one relay configuration with its own relay process and node, and checks what the node
 * counted against a ground truth worked out here from the lines themselves. Needs rsyslog and syslog-ng as
 * scripts/prepare-relays.sh sets them up, util-linux logger and openssl.
 */
@ExtendWith(NettyLeakCheck.class)
class RealRelaysTest {
    private static final int DNSMASQ_PID = 300;
    /** dnsmasq answers DNS over TCP in a forked child. */
    private static final int DNSMASQ_TCP_CHILD_PID = 4711;

    /** dnsmasq-dhcp[300]: the router's DHCP server hands out 10.3.0.1 and 10.3.0.2, which then ask for names. */
    static final List<String> DHCP_LINES = List.of(
            "DHCPREQUEST(br-lan) 10.3.0.1 aa:bb:cc:dd:ee:ff",
            "DHCPACK(br-lan) 10.3.0.1 aa:bb:cc:dd:ee:ff laptop",
            "DHCPACK(br-lan) 10.3.0.2 aa:bb:cc:dd:ee:01");

    /** dnsmasq[300]: the plain, log-queries=extra and log-queries=proto layouts, IPv4 and IPv6 clients. */
    static final List<String> DNS_LINES = List.of(
            "query[A] www.Example.COM from 10.3.0.1",
            "forwarded www.Example.COM to 1.1.1.1",
            "reply www.Example.COM is 93.184.215.14",
            "query[AAAA] www.example.com. from 10.3.0.1",
            "cached www.example.com is 2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "3689 10.3.0.1/52226 query[HTTPS] api.example.net from 10.3.0.1",
            "3689 10.3.0.1/52226 forwarded api.example.net to 1.1.1.1",
            "3689 10.3.0.1/52226 reply api.example.net is NODATA",
            "3690 10.3.0.2/40001 query[A] nope.example from 10.3.0.2",
            "3690 10.3.0.2/40001 forwarded nope.example to 1.1.1.1",
            "3690 10.3.0.2/40001 reply nope.example is NXDOMAIN",
            "3691 fd00::5/41000 query[type=65] Example.ORG from fd00::5",
            "3691 fd00::5/41000 forwarded Example.ORG to 1.1.1.1",
            "3692 fe80::1%br-lan/5353 query[PTR] 1.0.3.10.in-addr.arpa from fe80::1",
            "3692 fe80::1%br-lan/5353 reply 10.3.0.1 is laptop.lan",
            "3693 10.3.0.2/40002 query[A] ads.doubleclick.test from 10.3.0.2",
            "3693 10.3.0.2/40002 config ads.doubleclick.test is 0.0.0.0",
            "UDP 3694 10.3.0.1/52230 query[MX] Mail.Example.ORG. from 10.3.0.1",
            "UDP 3694 10.3.0.1/52230 forwarded mail.example.org to 1.1.1.1",
            "UDP 3694 10.3.0.1/52230 reply mail.example.org is <MX>",
            "UDP 3695 fd00::5/41002 query[AAAA] WWW.example.COM from fd00::5",
            "UDP 3695 fd00::5/41002 cached WWW.example.COM is 2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "UDP 3696 10.3.0.2/40003 query[A] nope.example from 10.3.0.2",
            "UDP 3696 10.3.0.2/40003 reply nope.example is NXDOMAIN");

    /** dnsmasq[4711]: a query over TCP, answered by a forked child (negative serial). */
    static final List<String> DNS_TCP_CHILD_LINES = List.of(
            "TCP -7 10.3.0.2/52231 query[TXT] Example.net from 10.3.0.2",
            "TCP -7 10.3.0.2/52231 forwarded Example.net to 1.1.1.1",
            "TCP -7 10.3.0.2/52231 reply nope.example is NXDOMAIN");

    /** Each DNS block is logged this often, so that counts are more than 1. */
    private static final int REPEAT = 3;

    private static final Pattern QUERY = Pattern.compile("(?:^| )query\\[([^\\]]+)\\] (\\S+) from (\\S+)$");
    private static final Pattern NXDOMAIN = Pattern.compile("(?:^| )reply \\S+ is NXDOMAIN$");
    private static final Pattern DHCPACK = Pattern.compile("^DHCPACK\\([^)]*\\) (\\S+) (\\S+)(?: (\\S+))?$");

    @TempDir
    static Path pki;

    /** A throw-away CA and a certificate for 127.0.0.1 that it signed, for routerlog's TLS listener. */
    @BeforeAll
    static void certificates() throws Exception {
        assumeRelays();
        Certificates certificates = Certificates.in(pki, Certificates.Key.EC_P256);
        Certificates.Issued ca = certificates.ca("ca", "routerlog relay test CA");
        certificates.signed("server", "127.0.0.1", "IP:127.0.0.1,DNS:localhost", ca);
    }

    /**
     * Skips the class where the relays are not installed, unless RELAY_TESTS_REQUIRED is set (as .ci/run sets
     * it): there a missing relay is a failure, not a quiet skip.
     */
    private static void assumeRelays() {
        boolean required = System.getenv("RELAY_TESTS_REQUIRED") != null;
        String rsyslog = "needs rsyslogd (scripts/prepare-relays.sh installs it)";
        String syslogNg =
                "needs syslog-ng and loggen in " + SyslogNg.home() + " (scripts/prepare-relays.sh unpacks them)";
        if (required) {
            assertThat(Rsyslog.available()).as(rsyslog).isTrue();
            assertThat(SyslogNg.available() && Loggen.available()).as(syslogNg).isTrue();
        }
        assumeTrue(Rsyslog.available(), rsyslog);
        assumeTrue(SyslogNg.available() && Loggen.available(), syslogNg);
    }

    // ---- rsyslog omfwd ---------------------------------------------------------------------------------------

    @Test
    void rsyslogTcpOctetCountedTraditionalForwardFormat(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.TCP_OCTET_COUNTED, null);
    }

    @Test
    void rsyslogTcpOctetCountedSyslogProtocol23Format(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.TCP_OCTET_COUNTED, Rsyslog.SYSLOG_PROTOCOL_23_FORMAT);
    }

    @Test
    void rsyslogTcpLfTraditionalForwardFormat(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.TCP_LF, null);
    }

    @Test
    void rsyslogTcpLfSyslogProtocol23Format(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.TCP_LF, Rsyslog.SYSLOG_PROTOCOL_23_FORMAT);
    }

    @Test
    void rsyslogUdpTraditionalForwardFormat(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.UDP, null);
    }

    @Test
    void rsyslogUdpSyslogProtocol23Format(@TempDir Path dir) throws Exception {
        rsyslog(dir, Rsyslog.Transport.UDP, Rsyslog.SYSLOG_PROTOCOL_23_FORMAT);
    }

    /** @param template the rsyslog template to forward with, or null for rsyslog's default */
    private void rsyslog(Path dir, Rsyslog.Transport transport, @Nullable String template) throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings());
                Rsyslog relay = Rsyslog.start(dir, transport, template, node.syslogPort())) {
            logThrough(relay::log);
            checkDnsmasqCounts(
                    node, relay.toString(), transport == Rsyslog.Transport.UDP ? "udp" : "tcp", relay::output);
        }
    }

    // ---- syslog-ng -------------------------------------------------------------------------------------------

    @Test
    void syslogNgSyslogDriverOverTcp(@TempDir Path dir) throws Exception {
        syslogNg(dir, SyslogNg.Destination.SYSLOG_TCP);
    }

    @Test
    void syslogNgSyslogDriverOverTls(@TempDir Path dir) throws Exception {
        syslogNg(dir, SyslogNg.Destination.SYSLOG_TLS);
    }

    @Test
    void syslogNgNetworkDriverOverTcp(@TempDir Path dir) throws Exception {
        syslogNg(dir, SyslogNg.Destination.NETWORK_TCP);
    }

    @Test
    void syslogNgNetworkDriverOverUdp(@TempDir Path dir) throws Exception {
        syslogNg(dir, SyslogNg.Destination.NETWORK_UDP);
    }

    private void syslogNg(Path dir, SyslogNg.Destination destination) throws Exception {
        boolean tls = destination == SyslogNg.Destination.SYSLOG_TLS;
        Settings settings = tls
                ? RouterLogTest.settings(
                        "--syslog-tls-port",
                        "0",
                        "--tls-cert",
                        pki.resolve("server.pem").toString(),
                        "--tls-key",
                        pki.resolve("server.key").toString())
                : RouterLogTest.settings();
        try (RouterLog node = RouterLog.start(settings);
                SyslogNg relay = SyslogNg.start(
                        dir,
                        destination,
                        tls ? node.syslogTlsPort() : node.syslogPort(),
                        tls ? pki.resolve("ca.pem") : null)) {
            logThrough(relay::log);
            checkDnsmasqCounts(
                    node,
                    relay.toString(),
                    tls ? "tls" : destination == SyslogNg.Destination.NETWORK_UDP ? "udp" : "tcp",
                    relay::output);
        }
    }

    // ---- loggen --syslog-proto over UDP (the octet count inside the datagram) -------------------------------

    @Test
    void loggenUdpSyslogProtoReadingDnsmasqLines(@TempDir Path dir) throws Exception {
        // loggen parses each RFC 5424 line and sends it again in its own way: a zero-padded octet count that includes
        // the line's \n, the current time without an offset, and a BOM before the message
        StringBuilder file = new StringBuilder();
        for (LoggedLine l : loggedLines()) {
            file.append("<30>1 2026-12-02T10:00:00+00:00 router ")
                    .append(l.program())
                    .append(' ')
                    .append(l.pid())
                    .append(" - - ")
                    .append(l.line())
                    .append('\n');
        }
        Path lines = dir.resolve("dnsmasq.log");
        Files.writeString(lines, file);
        try (RouterLog node = RouterLog.start(RouterLogTest.settings())) {
            String output = Loggen.sendFile(lines, loggedLines().size(), node.syslogPort());
            checkDnsmasqCounts(node, "loggen --inet --dgram --syslog-proto --read-file", "udp", () -> output);
        }
    }

    @Test
    void loggenUdpSyslogProtoGeneratedMessages() throws Exception {
        int count = 50;
        try (RouterLog node = RouterLog.start(RouterLogTest.settings())) {
            String output = Loggen.sendGenerated(count, node.syslogPort());
            String relay = "loggen --inet --dgram --syslog-proto (generated messages)";
            Exposition m = settle(node, count);
            String ctx = relay + " -> routerlog " + summary(m) + "; loggen: " + output.strip();
            assertThat(m.value("routerlog_syslog_messages_total", "transport", "udp"))
                    .as("datagrams received from " + ctx)
                    .isEqualTo((double) count);
            assertThat(nonZero(m, "routerlog_syslog_dropped_total", "reason"))
                    .as("drops of " + ctx)
                    .isEmpty();
            assertThat(m.value("routerlog_syslog_program_messages_total", "program", "prg00000"))
                    .as("messages of loggen's program prg00000 from " + ctx)
                    .isEqualTo((double) count);
        }
    }

    // ---- sending and checking --------------------------------------------------------------------------------

    /** A line as a program logs it: the program (tag), its process id and the message. */
    record LoggedLine(String program, int pid, String line) {}

    /** Everything logged, in order: DHCP first, then the DNS blocks, each {@link #REPEAT} times. */
    static List<LoggedLine> loggedLines() {
        List<LoggedLine> all = new ArrayList<>();
        DHCP_LINES.forEach(l -> all.add(new LoggedLine("dnsmasq-dhcp", DNSMASQ_PID, l)));
        for (int i = 0; i < REPEAT; i++) {
            DNS_LINES.forEach(l -> all.add(new LoggedLine("dnsmasq", DNSMASQ_PID, l)));
            DNS_TCP_CHILD_LINES.forEach(l -> all.add(new LoggedLine("dnsmasq", DNSMASQ_TCP_CHILD_PID, l)));
        }
        return all;
    }

    @FunctionalInterface
    interface Relay {
        void log(String program, int pid, List<String> lines) throws Exception;
    }

    /** Logs {@link #loggedLines()} into a relay, one call per program and process id, in order. */
    private static void logThrough(Relay relay) throws Exception {
        List<LoggedLine> all = loggedLines();
        int start = 0;
        for (int i = 1; i <= all.size(); i++) {
            if (i == all.size()
                    || !all.get(i).program().equals(all.get(start).program())
                    || all.get(i).pid() != all.get(start).pid()) {
                relay.log(
                        all.get(start).program(),
                        all.get(start).pid(),
                        all.subList(start, i).stream().map(LoggedLine::line).toList());
                start = i;
            }
        }
    }

    /** The ground truth: "client domain qtype" -> count, from a plain regex over the lines logged. */
    static Map<String, Long> expectedQueries() {
        Map<String, Long> expected = new TreeMap<>();
        for (LoggedLine l : loggedLines()) {
            Matcher m = QUERY.matcher(l.line());
            if (m.find()) {
                String qtype =
                        m.group(1).startsWith("type=") ? "TYPE" + m.group(1).substring(5) : m.group(1);
                String domain = m.group(2).toLowerCase(Locale.ROOT);
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                expected.merge(m.group(3) + " " + domain + " " + qtype, 1L, Long::sum);
            }
        }
        return expected;
    }

    private static long count(Pattern p) {
        return loggedLines().stream().filter(l -> p.matcher(l.line()).find()).count();
    }

    /** The DHCP identities: client -> "mac hostname" (hostname empty when none was given). */
    static Map<String, String> expectedLeases() {
        Map<String, String> leases = new TreeMap<>();
        for (LoggedLine l : loggedLines()) {
            Matcher m = DHCPACK.matcher(l.line());
            if (m.matches()) {
                leases.put(m.group(1), m.group(2) + " " + (m.group(3) == null ? "" : m.group(3)));
            }
        }
        return leases;
    }

    /** Waits (at most 10 s) until the node has received {@code messages} messages, then flushes and scrapes. */
    private static Exposition settle(RouterLog node, long messages) throws Exception {
        Waiting.upTo(
                Duration.ofSeconds(10),
                Duration.ofMillis(20),
                () -> received(Http.metrics(node.httpPort())) >= messages);
        Thread.sleep(100); // the last message's parse, on the receive thread, after its count
        node.flush();
        return Http.metrics(node.httpPort());
    }

    private static long received(Exposition m) {
        return (long) m.samples("routerlog_syslog_messages_total").stream()
                .mapToDouble(Exposition.Sample::value)
                .sum();
    }

    /** The samples of {@code metric} with a value other than 0, by the value of {@code label}. */
    private static Map<String, Long> nonZero(Exposition m, String metric, String label) {
        Map<String, Long> out = new TreeMap<>();
        for (Exposition.Sample s : m.samples(metric)) {
            if (s.value() != 0) {
                out.put(s.labels().get(label), (long) s.value());
            }
        }
        return out;
    }

    private static String summary(Exposition m) {
        return "received " + nonZero(m, "routerlog_syslog_messages_total", "transport")
                + ", dropped " + nonZero(m, "routerlog_syslog_dropped_total", "reason")
                + ", dnsmasq lines " + nonZero(m, "routerlog_dnsmasq_lines_total", "kind");
    }

    /** A label value as Java would write it in a string literal, so that control characters show. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\ufeff') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean clean(String label) {
        return label.equals(label.strip()) && label.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0);
    }

    /**
     * Waits until the node has received one message per line logged over {@code transport}, then checks every
     * count against the ground truth.
     */
    private static void checkDnsmasqCounts(RouterLog node, String relay, String transport, Supplier<String> relayOutput)
            throws Exception {
        List<LoggedLine> logged = loggedLines();
        Exposition m = settle(node, logged.size());
        String ctx = relay + " -> routerlog " + summary(m);

        assertThat(m.value("routerlog_syslog_messages_total", "transport", transport))
                .as("messages received over %s from %s; relay output:%n%s", transport, ctx, relayOutput.get())
                .isEqualTo((double) logged.size());
        assertThat(nonZero(m, "routerlog_syslog_dropped_total", "reason"))
                .as("drops of " + ctx)
                .isEmpty();
        Map<String, Long> programs = new TreeMap<>();
        logged.forEach(l -> programs.merge(l.program(), 1L, Long::sum));
        assertThat(nonZero(m, "routerlog_syslog_program_messages_total", "program"))
                .as("messages by program (tag) from " + ctx)
                .isEqualTo(programs);
        assertThat(m.value("routerlog_dnsmasq_lines_total", "kind", "other"))
                .as("dnsmasq lines of kind other from " + ctx)
                .isZero();
        assertThat(m.value("routerlog_dnsmasq_lines_total", "kind", "query"))
                .as("dnsmasq query lines from " + ctx)
                .isEqualTo((double) count(QUERY));

        Map<String, Long> series = new TreeMap<>();
        List<String> unclean = new ArrayList<>();
        for (Exposition.Sample s : m.samples("routerlog_dns_queries_total")) {
            String client = s.label("client");
            String domain = s.label("domain");
            series.merge(
                    escape(client) + " " + escape(domain) + " " + escape(s.label("qtype")),
                    (long) s.value(),
                    Long::sum);
            if (!clean(client) || !clean(domain)) {
                unclean.add("client=\"" + escape(client) + "\" domain=\"" + escape(domain) + "\"");
            }
        }
        assertThat(series).as("query series (client domain qtype) from " + ctx).isEqualTo(expectedQueries());
        assertThat(unclean)
                .as("query labels with white space or control characters from " + ctx)
                .isEmpty();

        assertThat(m.value("routerlog_dns_replies_total", "outcome", "nxdomain"))
                .as("NXDOMAIN replies from " + ctx)
                .isEqualTo((double) count(NXDOMAIN));

        Map<String, String> leases = new TreeMap<>();
        for (Exposition.Sample s : m.samples("routerlog_dhcp_lease_info")) {
            leases.put(escape(s.label("client")), escape(s.label("mac")) + " " + escape(s.label("hostname")));
        }
        assertThat(leases)
                .as("DHCP identities (client -> mac hostname) from " + ctx)
                .isEqualTo(expectedLeases());
        // a device's identity and its queries meet on the same router and client labels
        List<String> leaseClients = m.samples("routerlog_dhcp_lease_info").stream()
                .map(s -> escape(s.label("router")) + " " + escape(s.label("client")))
                .toList();
        List<String> queryClients = m.samples("routerlog_dns_queries_total").stream()
                .map(s -> escape(s.label("router")) + " " + escape(s.label("client")))
                .distinct()
                .toList();
        assertThat(queryClients)
                .as("clients of the query series, which must include every DHCP client's label, from " + ctx)
                .containsAll(leaseClients);
    }
}
