package io.routerlog.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real iodine tunnel through a real dnsmasq, for the tests of a DNS tunnel detector: returns what dnsmasq logged
 * with {@code log-queries=extra} while iodine carried traffic and other clients made ordinary lookups.
 *
 * <p>Everything runs in two network namespaces created for the run (loopback only, plus iodine's tun devices):
 *
 * <pre>
 *   namespace "router": dnsmasq on 127.0.0.1:53, forwarding t.iodine.test to 127.0.0.1#5353 and answering every
 *                       other name itself (address=/#/192.0.2.1, so no internet is needed);
 *                       iodined on 127.0.0.1:5353; the iodine client asking dnsmasq (with -r: no raw UDP shortcut);
 *                       dig sending the ordinary lookups from 127.0.0.10 and up;
 *                       busybox nc streaming random bytes to 10.53.0.1:7000 (the server's tunnel address) and
 *                       a ping there every 0.5 s, for the transfer time
 *   namespace "peer":   the server's tun device, moved there after iodined set it up; busybox nc listening
 * </pre>
 *
 * The server's tun device moves to a namespace of its own because both tunnel addresses in one namespace would be
 * local to it, and the kernel would answer the pings over loopback instead of through the tunnel.
 *
 * <p>Needs root, iproute2, iodine (Debian package {@code iodine}), dnsmasq, dig and busybox; {@link #missing} says
 * what is not there. Everything started is stopped and both namespaces are deleted, even when the run fails.
 *
 * <p>What iodine 0.7.0 sends through dnsmasq 2.90 here: one query type for the whole session (NULL when
 * autodetected, else what {@code -T} says); a handshake of about ten printable names (version {@code v...}, login
 * {@code l...} of 32 characters, {@code y...} codec and type probes, the case check {@code z...aAbBcC...yYzZ} of 56
 * characters, {@code s}/{@code o} option switches, {@code n} fragment-size setting); upstream data always in Base128
 * (dnsmasq passes 8-bit names, so autodetection picks it whatever {@code -T} and {@code -O} say), bytes dnsmasq does
 * not print: every data query and fragment probe appears as {@code query[NULL] <name unprintable> from ...}, without
 * the tunnel domain. A TCP stream makes about 550-600 queries a second; idle, in lazy mode, one short printable ping
 * query ({@code p...}, 8 characters) every 4 s.
 */
public final class IodineTunnel {
    /** The tunnel's domain. */
    public static final String DOMAIN = "t.iodine.test";
    /** What dnsmasq answers for every other name. */
    public static final String ANSWER = "192.0.2.1";

    private static final String PASSWORD = "routerlog-test";
    private static final String SERVER_TUN = "iods";
    private static final String CLIENT_TUN = "iodc";
    private static final String SERVER_IP = "10.53.0.1";
    private static final Duration SETUP = Duration.ofSeconds(20);
    /** More than a tunnel on loopback carries in a minute; the stream is cut off when the transfer time is up. */
    private static final int PAYLOAD = 16 << 20;

    private static final int TCP_PORT = 7000;
    private static final Pattern QUERY = Pattern.compile("^\\S+ (\\S+)/\\d+ query\\[([^\\]]+)\\] (.+) from (\\S+)$");

    /** What one run returned: dnsmasq's log messages (after {@code dnsmasq[PID]: }) and iodine's own output. */
    public record Capture(List<String> messages, String iodineOutput, String pingOutput) {
        /** The query lines as queries (time of the parse, since the log has no year); pattern iodine or ordinary. */
        public List<DnsQuery> queries() {
            List<DnsQuery> out = new ArrayList<>();
            Instant now = Instant.now();
            for (String m : messages) {
                Matcher q = QUERY.matcher(m);
                if (q.matches()) {
                    String name = q.group(3);
                    boolean tunnel =
                            name.toLowerCase(Locale.ROOT).endsWith("." + DOMAIN) || name.equals("<name unprintable>");
                    out.add(new DnsQuery(now, q.group(4), name, q.group(2), tunnel ? "iodine" : "ordinary"));
                }
            }
            return out;
        }
    }

    private IodineTunnel() {}

    /** The programs and rights a run needs that are missing here; empty if it can run. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        try {
            if (!"0".equals(Command.of("id", "-u").runOrThrow().strip())) {
                missing.add("root (to create network namespaces)");
            }
            for (String p : List.of("ip", "iodine", "iodined", "dnsmasq", "dig", "busybox")) {
                if (!Command.of("sh", "-c", "command -v " + p).run().succeeded()) {
                    missing.add(p);
                }
            }
        } catch (IOException e) {
            missing.add("a shell (" + e.getMessage() + ")");
        }
        return missing;
    }

    /**
     * Sets up the tunnel, pings through it for {@code transfer} while dig sends {@code ordinary} (each client
     * address mapped to one of 127.0.0.10 and up, each query with its type), tears everything down and returns the
     * log. {@code iodineOptions} go to the client as they are (e.g. {@code -T TXT -O Base32}); none autodetects.
     * Files go to {@code dir}.
     */
    public static Capture run(Path directory, Duration transfer, List<DnsQuery> ordinary, String... iodineOptions)
            throws IOException {
        // dnsmasq changes to / once started: every path it gets must be absolute
        Path dir = directory.toAbsolutePath();
        String tag = Long.toHexString(System.nanoTime() & 0xffffff);
        String ns = "rlio" + tag;
        String peer = "rliop" + tag;
        List<Process> processes = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        Path log = dir.resolve("dnsmasq.log");
        Path iodineOut = dir.resolve("iodine.out");
        try {
            for (String n : List.of(ns, peer)) {
                sh("ip", "netns", "add", n);
                namespaces.add(n);
                sh("ip", "-n", n, "link", "set", "lo", "up");
            }
            Path conf = dir.resolve("dnsmasq.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "no-resolv",
                            "no-hosts",
                            "listen-address=127.0.0.1",
                            "bind-interfaces",
                            "port=53",
                            "log-queries=extra",
                            "log-facility=" + log,
                            "server=/" + DOMAIN + "/127.0.0.1#5353",
                            "address=/#/" + ANSWER,
                            "dns-forward-max=500",
                            ""),
                    StandardCharsets.UTF_8);
            processes.add(start(
                    dir.resolve("dnsmasq.out"),
                    in(ns, "dnsmasq", "--keep-in-foreground", "--user=root", "--conf-file=" + conf)));
            waitFor(
                    "dnsmasq",
                    dir.resolve("dnsmasq.out"),
                    () -> Files.exists(log)
                            && Files.readString(log, StandardCharsets.UTF_8).contains("started, version"));
            processes.add(start(
                    dir.resolve("iodined.out"),
                    in(
                            ns,
                            "iodined",
                            "-f",
                            "-l",
                            "127.0.0.1",
                            "-p",
                            "5353",
                            "-d",
                            SERVER_TUN,
                            "-P",
                            PASSWORD,
                            SERVER_IP + "/27",
                            DOMAIN)));
            // configured (address, MTU) and listening: only then may the device move
            Path iodinedOut = dir.resolve("iodined.out");
            waitFor("iodined listening", iodinedOut, () -> read(iodinedOut).contains("Listening to dns"));
            sh("ip", "-n", ns, "link", "set", SERVER_TUN, "netns", peer);
            sh("ip", "-n", peer, "addr", "add", SERVER_IP + "/27", "dev", SERVER_TUN);
            sh("ip", "-n", peer, "link", "set", SERVER_TUN, "mtu", "1130", "up");

            List<String> client = new ArrayList<>(List.of("iodine", "-f", "-r", "-d", CLIENT_TUN, "-P", PASSWORD));
            client.addAll(List.of(iodineOptions));
            client.addAll(List.of("127.0.0.1", DOMAIN));
            processes.add(start(iodineOut, in(ns, client.toArray(String[]::new))));
            waitFor(
                    "iodine's connection",
                    iodineOut,
                    () -> Files.readString(iodineOut, StandardCharsets.UTF_8).contains("Connection setup complete"));

            List<Process> digs = dig(dir, ns, ordinary);
            processes.addAll(digs);
            // a TCP stream of incompressible bytes (iodine compresses) from the client's side to a listener behind
            // the server's tun device, cut off after the transfer time; a slow ping beside it proves the path works
            Path payload = dir.resolve("payload.bin");
            byte[] bytes = new byte[PAYLOAD];
            new Random(transfer.toMillis()).nextBytes(bytes);
            Files.write(payload, bytes);
            processes.add(start(
                    dir.resolve("nc-server.out"),
                    in(peer, "sh", "-c", "exec busybox nc -l -p " + TCP_PORT + " >/dev/null")));
            waitFor(
                    "the TCP listener",
                    dir.resolve("nc-server.out"),
                    () -> !Command.of(in(peer, "ss", "-Hltn", "sport = :" + TCP_PORT))
                            .runOrThrow()
                            .isBlank());
            processes.add(start(
                    dir.resolve("nc-client.out"),
                    in(ns, "sh", "-c", "exec busybox nc " + SERVER_IP + " " + TCP_PORT + " <" + payload)));
            Command.Result ping = Command.of(in(
                            ns,
                            "busybox",
                            "ping",
                            "-i",
                            "0.5",
                            "-w",
                            Long.toString(Math.max(1, transfer.toSeconds())),
                            SERVER_IP))
                    .mergeStderr()
                    .deadline(transfer.plusSeconds(15))
                    .run();
            for (Process d : digs) {
                waitQuietly(d, Duration.ofSeconds(30));
            }
            stopAll(processes);
            return new Capture(messages(log), Files.readString(iodineOut, StandardCharsets.UTF_8), ping.out());
        } finally {
            stopAll(processes);
            for (String n : namespaces) {
                Command.of("ip", "netns", "del", n).run();
            }
        }
    }

    /** One dig process per client address, asking its queries in order (batch mode, one try each). */
    private static List<Process> dig(Path dir, String ns, List<DnsQuery> ordinary) throws IOException {
        Map<String, List<String>> byClient = new LinkedHashMap<>();
        for (DnsQuery q : ordinary) {
            byClient.computeIfAbsent(q.client(), c -> new ArrayList<>()).add(q.name() + " " + q.qtype());
        }
        List<Process> out = new ArrayList<>();
        int i = 10;
        for (List<String> lines : byClient.values()) {
            Path batch = dir.resolve("dig-" + i + ".txt");
            Files.write(batch, lines, StandardCharsets.UTF_8);
            out.add(start(
                    dir.resolve("dig-" + i + ".out"),
                    in(
                            ns,
                            "dig",
                            "@127.0.0.1",
                            "-b",
                            "127.0.0." + i,
                            "+tries=1",
                            "+time=2",
                            "+short",
                            "-f",
                            batch.toString())));
            i++;
        }
        return out;
    }

    /** dnsmasq's log lines without their syslog-style prefix. */
    private static List<String> messages(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int at = line.indexOf("]: ");
            out.add(at < 0 ? line : line.substring(at + 3));
        }
        return out;
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private static void waitFor(String what, Path output, Check check) throws IOException {
        long until = System.nanoTime() + SETUP.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > until) {
                throw new IOException("no " + what + " after " + SETUP + ":\n" + read(output));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + what, e);
            }
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(no output)";
    }

    private static void waitQuietly(Process p, Duration limit) {
        try {
            p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the processes, last started first, and forgets them. */
    private static void stopAll(List<Process> processes) {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Command.stop(processes.get(i), Duration.ofSeconds(5));
        }
        processes.clear();
    }

    private static Process start(Path output, List<String> command) throws IOException {
        return Command.of(command).start(output);
    }

    private static List<String> in(String ns, String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return c;
    }

    private static String sh(String... command) throws IOException {
        return Command.of(command).mergeStderr().runOrThrow();
    }
}
