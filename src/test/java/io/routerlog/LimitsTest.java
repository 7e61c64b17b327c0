package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.Transport;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Senders;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Access control and limits on the receive path, on a whole node over loopback sockets. */
@ExtendWith(NettyLeakCheck.class)
class LimitsTest {
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }

    /** True when the server closed the connection within the timeout. */
    private static boolean closedByServer(Socket s, int timeoutMillis) throws Exception {
        s.setSoTimeout(timeoutMillis);
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    private static double openConnections(RouterLog node) {
        try {
            return io.routerlog.testing.Http.metrics(node.httpPort()).value("routerlog_syslog_connections");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** True when this process may exceed net.core.rmem_max with SO_RCVBUFFORCE (CAP_NET_ADMIN, bit 12). */
    private static boolean hasCapNetAdmin() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 12)) != 0;
            }
        }
        return false;
    }

    @Test
    void udpReceiveBufferIsWhatTheKernelGrantedAndIsExported() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(
                java.nio.file.Path.of("/proc/sys/net/core/rmem_max")), "Linux only");
        long rmemMax = Long.parseLong(java.nio.file.Files.readString(
                java.nio.file.Path.of("/proc/sys/net/core/rmem_max")).trim());
        int wanted = 24 << 20;
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--udp-receive-buffer", "24MiB"))) {
            double granted = io.routerlog.testing.Http.metrics(node.httpPort())
                    .value("routerlog_syslog_udp_receive_buffer_bytes");
            if (hasCapNetAdmin()) {
                assertThat(granted).as("SO_RCVBUFFORCE goes past rmem_max %d", rmemMax).isEqualTo(wanted);
            } else {
                assertThat(granted).as("capped at rmem_max").isEqualTo(Math.min(wanted, rmemMax));
            }
            // whatever the buffer, datagrams still arrive and count
            Senders.udp(node.syslogPort(), List.of("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] a.test from 127.0.0.1"));
            await(() -> node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY) == 1);
        }
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--udp-receive-buffer", "64KiB"))) {
            assertThat(io.routerlog.testing.Http.metrics(node.httpPort())
                    .value("routerlog_syslog_udp_receive_buffer_bytes")).isEqualTo(64 << 10);
        }
    }

    @Test
    void sendersOutsideAllowFromAreDroppedAndCounted() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--allow-from", "10.0.0.0/8,192.168.1.0/24"))) {
            Senders.udp(node.syslogPort(), List.of("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] a.test from 10.0.0.1",
                    "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] b.test from 10.0.0.1"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.syslogPort())) {
                try {
                    s.getOutputStream().write("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] c.test from 10.0.0.1\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException reset) {
                    // reset when accepted, which may come before this write
                }
                assertThat(closedByServer(s, 5000)).as("connection from 127.0.0.1 closed").isTrue();
            }
            await(() -> node.counters().dropCount(DropReason.NOT_ALLOWED) == 3);
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isZero();
            assertThat(node.store().pairs().size()).isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndIdleOnesClosed() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--max-connections", "2",
                "--idle-timeout", "1s"))) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.syslogPort());
            try (Socket a = new Socket(); Socket b = new Socket(); Socket c = new Socket()) {
                a.connect(at);
                b.connect(at);
                await(() -> openConnections(node) == 2);
                c.connect(at);
                assertThat(closedByServer(c, 3000)).as("third connection refused").isTrue();
                assertThat(node.counters().dropCount(DropReason.TOO_MANY_CONNECTIONS)).isEqualTo(1);
                // a and b send nothing: closed after the idle timeout
                assertThat(closedByServer(a, 5000)).as("idle connection closed").isTrue();
                assertThat(closedByServer(b, 5000)).isTrue();
            }
            // a connection that keeps talking stays open past the timeout
            try (Socket d = new Socket()) {
                d.connect(at);
                for (int i = 0; i < 8; i++) {
                    d.getOutputStream().write(("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] keep.test from 10.0.0."
                            + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(300);
                }
                assertThat(closedByServer(d, 200)).as("busy connection still open").isFalse();
            }
        }
    }

    private static byte[] query(String name, int i) {
        return ("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] " + name + i + ".test from 10.0.0.1\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aConnectionOverTheLimitIsResetSoItsSenderSeesAnErrorAndNoAcceptedLineIsLost() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--max-connections", "1"))) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.syslogPort());
            int written = 0;
            java.io.IOException error = null;
            try (Socket a = new Socket(); Socket b = new Socket()) {
                a.connect(at);
                await(() -> openConnections(node) == 1);
                b.connect(at); // the kernel completes the handshake; routerlog refuses the connection at accept
                await(() -> node.counters().dropCount(DropReason.TOO_MANY_CONNECTIONS) == 1);
                Thread.sleep(100);
                for (int i = 0; i < 400 && error == null; i++) {
                    try {
                        b.getOutputStream().write(query("refused", i));
                        b.getOutputStream().flush();
                        written++;
                        Thread.sleep(2);
                    } catch (java.io.IOException e) {
                        error = e;
                    }
                }
                for (int i = 0; i < 200; i++) {
                    a.getOutputStream().write(query("accepted", i));
                }
                a.getOutputStream().flush();
            }
            assertThat(error).as("the refused sender gets an error").isNotNull();
            assertThat(written).as("lines the refused connection took without an error").isZero();
            await(() -> node.counters().messageCount(Transport.TCP) >= 200);
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).as("every accepted line counted")
                    .isEqualTo(200);
        }
    }

    @Test
    void aFloodOfNewPairsOverTcpIsSlowedDownNotDropped() throws Exception {
        // the smallest bounds: every flush can take only a few thousand new pairs
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--max-pairs", "271", "--io-threads", "1",
                "--flush-interval", "1s"))) {
            int lines = 60_000;
            StringBuilder b = new StringBuilder(lines * 80);
            for (int i = 0; i < lines; i++) {
                b.append("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] flood").append(i).append(".test from 10.9.")
                        .append(i % 200).append('.').append(i % 250).append('\n');
            }
            Senders.tcp(node.syslogPort(), b.toString());
            await(() -> node.counters().messageCount(Transport.TCP) == lines);
            node.flush();
            assertThat(node.counters().dropCount(DropReason.AGGREGATION_FULL)).as("nothing dropped").isZero();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(lines);
            // the store keeps its bound; the rest was evicted, not lost on the way
            assertThat(node.store().pairs().size()).isLessThanOrEqualTo(271);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.store().pairs().size() + node.store().pairs().evicted() < lines
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(node.store().pairs().size() + node.store().pairs().evicted()).isEqualTo(lines);
        }
    }
}
