package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.routerlog.testing.Cluster;
import io.routerlog.testing.Command;
import io.routerlog.testing.DnsttClientNames;
import io.routerlog.testing.Exposition;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real network partition: two routerlog members on two hosts (network namespaces joined by a veth pair that this
 * test creates), the link cut while both sides keep counting the same names, then restored. After Hazelcast merges
 * the two sides every counter must be the exact total of what both sides counted. Needs root.
 */
class PartitionIT {
    private static final String DOMAIN = "t.example.com";
    private static final String[] ADDR = {"10.251.0.1", "10.251.0.2"};

    private final String tag = Long.toHexString(System.nanoTime() & 0xffffff);
    private final String[] ns = {"rla" + tag, "rlb" + tag};
    private final String[] veth = {"rva" + tag, "rvb" + tag};
    private final Process[] nodes = new Process[2];
    private final Path[] logs = new Path[2];
    private Path dir;

    @BeforeEach
    void hosts() throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2 to create network namespaces");
        dir = Files.createTempDirectory("routerlog-partition");
        for (int i = 0; i < 2; i++) {
            Netns.run("ip", "netns", "add", ns[i]);
        }
        Netns.run(
                "ip", "link", "add", veth[0], "netns", ns[0], "type", "veth", "peer", "name", veth[1], "netns", ns[1]);
        for (int i = 0; i < 2; i++) {
            Netns.run("ip", "-n", ns[i], "addr", "add", ADDR[i] + "/24", "dev", veth[i]);
            Netns.run("ip", "-n", ns[i], "link", "set", veth[i], "up");
            Netns.run("ip", "-n", ns[i], "link", "set", "lo", "up");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = 0; i < 2; i++) {
            if (nodes[i] != null) {
                nodes[i].destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            try {
                Netns.run("ip", "netns", "del", ns[i]);
            } catch (IOException gone) {
                // not created
            }
        }
    }

    private void startNode(int i) throws Exception {
        logs[i] = dir.resolve("node" + i + ".log");
        List<String> cmd = Netns.in(
                ns[i],
                RouterLogProcess.javaBin(),
                "-Xmx256m",
                "-Dhazelcast.max.no.heartbeat.seconds=6",
                "-Dhazelcast.merge.first.run.delay.seconds=5",
                "-Dhazelcast.merge.next.run.delay.seconds=5",
                "-jar",
                RouterLogProcess.jar().toAbsolutePath().toString(),
                "--listen-address",
                "127.0.0.1",
                "--http-address",
                "127.0.0.1",
                "--syslog-port",
                "5514",
                "--http-port",
                "9514",
                "--flush-interval",
                "200ms",
                "--dnstt-domain",
                DOMAIN,
                "--cluster-name",
                "partition-" + tag,
                "--cluster-port",
                "5701",
                "--cluster-interface",
                ADDR[i],
                "--cluster-members",
                ADDR[0] + ":5701," + ADDR[1] + ":5701");
        nodes[i] = Command.of(cmd).start(logs[i]);
    }

    private Exposition scrape(int i, String path) throws Exception {
        return Exposition.parse(Netns.runIn(ns[i], "curl", "-sf", "--max-time", "10", "http://127.0.0.1:9514" + path));
    }

    private void awaitMembers(int n) throws Exception {
        boolean formed = Waiting.upTo(Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
            boolean all = true;
            for (int i = 0; i < 2; i++) {
                try {
                    Double m = scrape(i, "/metrics").value("routerlog_cluster_members");
                    all &= m != null && m == n;
                } catch (IOException notUp) {
                    all = false;
                }
            }
            return all;
        });
        if (formed) {
            return;
        }
        throw new AssertionError(
                "members did not reach " + n + ":\n" + Files.readString(logs[0]) + "\n" + Files.readString(logs[1]));
    }

    /** Sends {@code lines} to node i over TCP from inside its namespace and waits until it has flushed them. */
    private void send(int i, List<String> lines) throws Exception {
        double before = scrape(i, "/metrics").value("routerlog_syslog_messages_total", "transport", "tcp");
        Path f = dir.resolve("lines-" + i + "-" + System.nanoTime());
        Files.writeString(f, String.join("", lines), StandardCharsets.US_ASCII);
        Netns.runIn(ns[i], "bash", "-c", "cat \"$0\" > /dev/tcp/127.0.0.1/5514", f.toString());
        Waiting.atMost(Duration.ofSeconds(30), Duration.ofMillis(100))
                .alias("node " + i + " received its lines")
                .until(() -> scrape(i, "/metrics").value("routerlog_syslog_messages_total", "transport", "tcp")
                        >= before + lines.size());
        Thread.sleep(700); // several flush intervals
    }

    /** Query lines for {@code pairs} names from {@code clients} clients, {@code times} each; adds to expected. */
    private static List<String> queries(int pairs, int clients, int times, String tag, Map<String, Long> expected) {
        List<String> lines = new ArrayList<>();
        for (int t = 0; t < times; t++) {
            for (int p = 0; p < pairs; p++) {
                String client = "192.168.50." + (p % clients);
                String domain = "name" + p + "." + tag + ".test";
                lines.add("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] " + domain + " from " + client + "\n");
                expected.merge(client + " " + domain + " A", 1L, Long::sum);
            }
        }
        return lines;
    }

    private static List<String> tunnel(long[] sessions, int times, Map<String, Long> expected) {
        List<String> lines = new ArrayList<>();
        expected.merge("198.51.100.53 " + DOMAIN + " TXT", (long) sessions.length * times, Long::sum);
        for (int t = 0; t < times; t++) {
            for (long s : sessions) {
                lines.add("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[TXT] " + DnsttClientNames.poll(s, DOMAIN)
                        + " from 198.51.100.53\n");
            }
        }
        return lines;
    }

    /** The time left until {@code deadline} (a {@link System#nanoTime} value); at least a millisecond. */
    private static Duration until(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    /** "pair: got X, expected Y" for every pair that differs. */
    private static List<String> difference(Map<String, Long> got, Map<String, Long> expected) {
        List<String> diff = new ArrayList<>();
        Set<String> keys = new TreeSet<>(got.keySet());
        keys.addAll(expected.keySet());
        for (String k : keys) {
            if (!Objects.equals(got.get(k), expected.get(k))) {
                diff.add(k + ": got " + got.get(k) + ", expected " + expected.get(k));
            }
        }
        return diff;
    }

    private static List<String> replies(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: cached name" + i + ".test is 192.0.2.1\n");
        }
        return lines;
    }

    @Test
    void afterAPartitionHealsEveryCounterIsTheSumOfBothSides() throws Exception {
        startNode(0);
        startNode(1);
        awaitMembers(2);
        Map<String, Long> expected = new TreeMap<>();

        // before the split: both sides count, partly the same names
        send(0, queries(200, 20, 2, "shared", expected));
        send(1, queries(200, 20, 1, "shared", expected));
        send(1, tunnel(new long[] {1, 2, 3}, 2, expected));

        // the split
        Netns.run("ip", "-n", ns[0], "link", "set", veth[0], "down");
        awaitMembers(1);
        send(0, queries(200, 20, 3, "shared", expected));
        send(1, queries(200, 20, 2, "shared", expected));
        send(0, queries(50, 5, 1, "left", expected));
        send(1, queries(50, 5, 1, "right", expected));
        send(0, tunnel(new long[] {3, 4, 5}, 3, expected)); // session 3 on both sides, 4 and 5 only here
        send(1, tunnel(new long[] {1, 6}, 2, expected));
        send(0, replies(30));
        send(1, replies(20));

        // the link comes back; Hazelcast merges the two sides
        Netns.run("ip", "-n", ns[0], "link", "set", veth[0], "up");
        awaitMembers(2);

        long queryLines = expected.values().stream().mapToLong(Long::longValue).sum();
        long tunnelQueries = 3 * 2 + 3 * 3 + 2 * 2;
        // both waits below share one deadline
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        AtomicReference<Exposition> merged = new AtomicReference<>();
        Waiting.upTo(until(deadline), Duration.ofSeconds(1), () -> {
            Exposition c = scrape(0, "/metrics?scope=cluster");
            merged.set(c);
            return c.queryCounts().equals(expected)
                    && Double.valueOf(50).equals(c.value("routerlog_dns_replies_total", "outcome", "cached"))
                    && Double.valueOf((double) tunnelQueries).equals(c.value("dnstt_queries_total", "domain", DOMAIN))
                    // each map merges on its own schedule: the sessions may come after the counters
                    && Double.valueOf(6).equals(c.value("dnstt_sessions_total", "domain", DOMAIN));
        });
        Exposition cluster = merged.get();
        assertThat(difference(cluster.queryCounts(), expected))
                .as("pairs that are not the sum of both sides")
                .isEmpty();
        assertThat(cluster.value("routerlog_dns_replies_total", "outcome", "cached"))
                .isEqualTo(50.0);
        assertThat(cluster.value("dnstt_queries_total", "domain", DOMAIN)).isEqualTo((double) tunnelQueries);
        assertThat(cluster.value("dnstt_sessions_total", "domain", DOMAIN))
                .as("sessions seen on both sides count once")
                .isEqualTo(6.0);
        assertThat(cluster.value("dnstt_peak_clients", "domain", DOMAIN)).isGreaterThanOrEqualTo(3.0);
        // the same, summed over the two members' own shares, once both agree again on who holds which partition
        AtomicLong owned = new AtomicLong(-1);
        Waiting.upTo(until(deadline), Duration.ofMillis(500), () -> {
            owned.set(Cluster.sum(scrape(0, "/metrics")) + Cluster.sum(scrape(1, "/metrics")));
            return owned.get() == queryLines;
        });
        assertThat(owned.get())
                .as("query lines summed over the members' own shares")
                .isEqualTo(queryLines);
        assertThat(difference(scrape(1, "/metrics?scope=cluster").queryCounts(), expected))
                .isEmpty();
        System.out.printf(
                "Partition: %d query lines in %d pairs, %d DNSTT queries: exact after the merge%n",
                queryLines, expected.size(), tunnelQueries);
    }
}
