package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.Cluster;
import io.routerlog.testing.Command;
import io.routerlog.testing.Http;
import io.routerlog.testing.PcapWriter;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three routerlog processes (separate JVMs) in one cluster on loopback, fed over real TCP, with members killed,
 * stopped and restarted under load. Counts are compared with what the senders wrote.
 */
class ClusterIT {
    /** routerlog flushes every 200 ms in these tests (RouterLogProcess). */
    private static final long FLUSH_MILLIS = 200;

    @Test
    @SuppressWarnings("try") // LoadSender.close() may be interrupted: the test then fails, as it should
    void sigkillLosesAtMostTheUnflushedWindowAndTheNodeRejoins() throws Exception {
        try (Cluster c = new Cluster(3).startAll()) {
            LoadSender toA = new LoadSender(c.syslog[0], 1500, 400, "10.1", 7500);
            LoadSender toB = new LoadSender(c.syslog[1], 1500, 400, "10.2", 7500);
            Thread.sleep(2500);
            long killedAt = System.nanoTime();
            c.nodes[1].process.destroyForcibly(); // SIGKILL
            assertThat(c.nodes[1].process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            toA.await();
            toB.await();
            assertThat(toA.failure()).isNull();
            int sent = toA.sent() + toB.sent();
            // what B can have lost: read but not flushed yet, in its socket buffer, or written after its death
            int window = toB.sentSince(killedAt - TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS + 500));
            c.awaitMembers(2);
            long total = c.settledTotal();
            long lost = sent - total;
            System.out.printf(
                    "SIGKILL: sent %d, counted %d, lost %d, bound (lines B got in its last %d ms and " + "after) %d%n",
                    sent, total, lost, FLUSH_MILLIS + 500, window);
            assertThat(lost).as("lost lines").isBetween(0L, (long) window);

            c.start(1);
            c.awaitMembers(3);
            try (LoadSender again = new LoadSender(c.syslog[1], 2000, 400, "10.3", 1000)) {
                again.await();
                assertThat(again.failure()).isNull();
            }
            assertThat(c.settledTotal()).as("after the restart").isEqualTo(total + 1000);
        }
    }

    @Test
    void sigtermUnderLoadLosesNothing() throws Exception {
        try (Cluster c = new Cluster(3).startAll()) {
            LoadSender toC = new LoadSender(c.syslog[2], 2000, 400, "10.4", 8000); // 4 s of load
            LoadSender toA = new LoadSender(c.syslog[0], 1000, 400, "10.5", 4000);
            Thread.sleep(1500);
            c.nodes[2].process.destroy(); // SIGTERM while C is receiving
            toC.await();
            toA.await();
            assertThat(toC.failure())
                    .as("C keeps reading until its sender is done")
                    .isNull();
            assertThat(c.nodes[2].process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(c.nodes[2].output()).contains("Stopped");
            c.awaitMembers(2);
            long total = c.settledTotal();
            System.out.printf("SIGTERM: sent %d, counted %d%n", toC.sent() + toA.sent(), total);
            assertThat(total).isEqualTo(toC.sent() + toA.sent());
        }
    }

    @Test
    void rollingRestartUnderLoadLosesNothing() throws Exception {
        try (Cluster c = new Cluster(3).startAll()) {
            long sent = 0;
            for (int restarting = 0; restarting < 3; restarting++) {
                List<LoadSender> load = new ArrayList<>();
                for (int other = 0; other < 3; other++) {
                    if (other != restarting) {
                        load.add(new LoadSender(
                                c.syslog[other], 1000, 300, "10." + (10 + restarting * 3 + other), 100_000));
                    }
                }
                Thread.sleep(500);
                c.nodes[restarting].process.destroy(); // SIGTERM
                assertThat(c.nodes[restarting].process.waitFor(60, TimeUnit.SECONDS))
                        .isTrue();
                c.awaitMembers(2);
                c.start(restarting);
                c.awaitMembers(3);
                Thread.sleep(500);
                for (LoadSender l : load) {
                    l.close();
                    assertThat(l.failure()).isNull();
                    sent += l.sent();
                }
            }
            long total = c.settledTotal();
            System.out.printf("Rolling restart: sent %d, counted %d%n", sent, total);
            assertThat(total).isEqualTo(sent);
        }
    }

    @Test
    void everyMemberLogsWhoJoinsAndLeaves() throws Exception {
        try (Cluster c = new Cluster(2).startAll()) {
            String a = "Member [127.0.0.1]:" + c.member[0];
            String b = "Member [127.0.0.1]:" + c.member[1];
            // the first node hears of the second, and the second of the first it found
            awaitOutput(c.nodes[0], b + " joined (cluster of 2)");
            awaitOutput(c.nodes[1], a + " joined (cluster of 2)");
            assertThat(c.nodes[0].output()).doesNotContain(a + " joined").doesNotContain("ERROR");
            c.nodes[1].process.destroy(); // SIGTERM: a graceful leave
            assertThat(c.nodes[1].process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            c.awaitMembers(1);
            awaitOutput(c.nodes[0], b + " left (cluster of 1)");
        }
    }

    @Test
    void anIngestNodeIsNotTakenForAStranger() throws Exception {
        try (Cluster c = new Cluster(2).startAll()) {
            PcapWriter pcap = new PcapWriter(PcapWriter.Format.PCAP_LE, PcapWriter.ETHERNET);
            for (int i = 0; i < 5; i++) {
                pcap.ip(PcapWriter.udp(
                        "192.168.1.20",
                        40000 + i,
                        "192.168.1.1",
                        53,
                        PcapWriter.query(i, "ingested.example.com", org.xbill.DNS.Type.A)));
            }
            Path file = Files.createTempFile("ingest", ".pcap");
            try {
                Files.write(file, pcap.bytes());
                // the recipe of the README: the cluster's options and a free cluster port of its own
                String members = "127.0.0.1:" + c.member[0] + ",127.0.0.1:" + c.member[1];
                int port = RouterLogProcess.freePortForUdpAndTcp();
                Command.Result r = Command.of(
                                RouterLogProcess.javaBin(),
                                "-Xmx256m",
                                "-jar",
                                RouterLogProcess.jar().toString(),
                                "ingest",
                                "--cluster-name",
                                c.name(),
                                "--cluster-members",
                                members,
                                "--cluster-interface",
                                "127.0.0.1",
                                "--cluster-port",
                                Integer.toString(port),
                                "--progress",
                                "never",
                                file.toString())
                        .mergeStderr()
                        .deadline(Duration.ofMinutes(2))
                        .run();
                String out = r.out();
                assertThat(r.finished()).isTrue();
                assertThat(r.exitCode()).as(out).isZero();
                assertThat(out).contains("ingested 1 file(s)").contains("(5 queries, 0 responses)");

                String ingest = "Member [127.0.0.1]:" + port + " (ingest)";
                for (RouterLogProcess node : c.nodes) {
                    awaitOutput(node, ingest + " joined (cluster of 3)");
                    awaitOutput(node, ingest + " left (cluster of 2)");
                    assertThat(node.output())
                            .doesNotContain("is not in --cluster-members")
                            .doesNotContain("ERROR");
                }
                for (int http : c.http) {
                    assertThat(Http.metrics(http).value("routerlog_cluster_unexpected_members_total"))
                            .isZero();
                }
                assertThat(c.clusterTotal(0))
                        .as("what the ingest node flushed stays")
                        .isEqualTo(5);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void awaitOutput(RouterLogProcess node, String text) throws Exception {
        Waiting.upTo(
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                () -> node.output().contains(text));
        assertThat(node.output()).contains(text);
    }

    @Test
    void aMemberNotInTheListIsReportedAndAnUnresolvableNameDoesNotStopTheStart() throws Exception {
        try (Cluster c = new Cluster(2)) {
            c.startAll();
            int strangerPort = RouterLogProcess.freePortForUdpAndTcp();
            // knows the cluster name and one member, and lists a name that does not resolve
            try (RouterLogProcess stranger = RouterLogProcess.start(
                    RouterLogProcess.freePortForUdpAndTcp(),
                    RouterLogProcess.freePortForUdpAndTcp(),
                    List.of(),
                    List.of(
                            "--cluster-name",
                            c.name(),
                            "--cluster-port",
                            Integer.toString(strangerPort),
                            "--cluster-interface",
                            "127.0.0.1",
                            "--cluster-members",
                            "127.0.0.1:" + c.member[0] + ",no-such-member.invalid"))) {
                c.awaitMembers(3);
                assertThat(stranger.output()).contains("Cluster member 'no-such-member.invalid' does not resolve");
                Waiting.upTo(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(200),
                        () -> Http.metrics(c.http[0]).value("routerlog_cluster_unexpected_members_total") >= 1);
                double reported = Http.metrics(c.http[0]).value("routerlog_cluster_unexpected_members_total");
                assertThat(reported).isEqualTo(1.0);
                assertThat(c.nodes[0].output()).contains("is not in --cluster-members");
            }
        }
    }
}
