package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.Transport;
import io.routerlog.testing.Http;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Access control and limits on the receive path, on a whole node over loopback sockets. */
@ExtendWith(NettyLeakCheck.class)
class LimitsTest {
    private static void await(BooleanSupplier condition) {
        Waiting.upTo(Duration.ofSeconds(20), Duration.ofMillis(10), condition::getAsBoolean);
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
        } catch (IOException reset) {
            return true;
        }
    }

    private static double openConnections(RouterLog node) {
        try {
            return Http.metrics(node.httpPort()).value("routerlog_syslog_connections");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** True when this process may exceed net.core.rmem_max with SO_RCVBUFFORCE (CAP_NET_ADMIN, bit 12). */
    private static boolean hasCapNetAdmin() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 12)) != 0;
            }
        }
        return false;
    }

    @Test
    void udpReceiveBufferIsWhatTheKernelGrantedAndIsExported() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.exists(Path.of("/proc/sys/net/core/rmem_max")), "Linux only");
        long rmemMax = Long.parseLong(
                Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
        int wanted = 24 << 20;
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--udp-receive-buffer", "24MiB"))) {
            double granted = Http.metrics(node.httpPort()).value("routerlog_syslog_udp_receive_buffer_bytes");
            if (hasCapNetAdmin()) {
                assertThat(granted)
                        .as("SO_RCVBUFFORCE goes past rmem_max %d", rmemMax)
                        .isEqualTo(wanted);
            } else {
                assertThat(granted).as("capped at rmem_max").isEqualTo((double) Math.min(wanted, rmemMax));
            }
            // whatever the buffer, datagrams still arrive and count
            Senders.udp(node.syslogPort(), List.of("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] a.test from 127.0.0.1"));
            await(() -> node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY) == 1);
        }
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--udp-receive-buffer", "64KiB"))) {
            assertThat(Http.metrics(node.httpPort()).value("routerlog_syslog_udp_receive_buffer_bytes"))
                    .isEqualTo(64 << 10);
        }
    }

    @Test
    void sendersOutsideAllowFromAreDroppedAndCounted() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--allow-from", "10.0.0.0/8,192.168.1.0/24"))) {
            Senders.udp(
                    node.syslogPort(),
                    List.of(
                            "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] a.test from 10.0.0.1",
                            "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] b.test from 10.0.0.1"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.syslogPort())) {
                try {
                    s.getOutputStream()
                            .write("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] c.test from 10.0.0.1\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException reset) {
                    // reset when accepted, which may come before this write
                }
                assertThat(closedByServer(s, 5000))
                        .as("connection from 127.0.0.1 closed")
                        .isTrue();
            }
            await(() -> node.counters().dropCount(DropReason.NOT_ALLOWED) == 3);
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isZero();
            assertThat(node.store().pairs().size()).isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndIdleOnesClosed() throws Exception {
        try (RouterLog node =
                RouterLog.start(RouterLogTest.settings("--max-connections", "2", "--idle-timeout", "1s"))) {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), node.syslogPort());
            try (Socket a = new Socket();
                    Socket b = new Socket();
                    Socket c = new Socket()) {
                a.connect(at);
                b.connect(at);
                await(() -> openConnections(node) == 2);
                c.connect(at);
                assertThat(closedByServer(c, 3000))
                        .as("third connection refused")
                        .isTrue();
                assertThat(node.counters().dropCount(DropReason.TOO_MANY_CONNECTIONS))
                        .isEqualTo(1);
                // a and b send nothing: closed after the idle timeout
                assertThat(closedByServer(a, 5000)).as("idle connection closed").isTrue();
                assertThat(closedByServer(b, 5000)).isTrue();
            }
            // a connection that keeps talking stays open past the timeout
            try (Socket d = new Socket()) {
                d.connect(at);
                for (int i = 0; i < 8; i++) {
                    d.getOutputStream()
                            .write(("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] keep.test from 10.0.0." + i + "\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(300);
                }
                assertThat(closedByServer(d, 200))
                        .as("busy connection still open")
                        .isFalse();
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
            IOException error = null;
            try (Socket a = new Socket();
                    Socket b = new Socket()) {
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
                    } catch (IOException e) {
                        error = e;
                    }
                }
                for (int i = 0; i < 200; i++) {
                    a.getOutputStream().write(query("accepted", i));
                }
                a.getOutputStream().flush();
            }
            assertThat(error).as("the refused sender gets an error").isNotNull();
            assertThat(written)
                    .as("lines the refused connection took without an error")
                    .isZero();
            await(() -> node.counters().messageCount(Transport.TCP) >= 200);
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY))
                    .as("every accepted line counted")
                    .isEqualTo(200);
        }
    }

    /** A connection from {@code localAddress} (any of 127.0.0.0/8) to the node's syslog port. */
    private static Socket connectFrom(String localAddress, RouterLog node) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.syslogPort()), 2000);
        return s;
    }

    /**
     * True when a new connection from {@code localAddress} is refused: reset while connecting (the refusal can come
     * before the connect call returns) or right after.
     */
    private static boolean refused(String localAddress, RouterLog node, int timeoutMillis) throws Exception {
        Socket s;
        try {
            s = connectFrom(localAddress, node);
        } catch (SocketException reset) {
            return true;
        }
        try (s) {
            return closedByServer(s, timeoutMillis);
        }
    }

    @Test
    void aSenderTricklingAFrameIsClosedAfterTheFrameTimeoutAndWhatItSentIsDropped() throws Exception {
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--frame-timeout", "1s"));
                Socket slow = connectFrom("127.0.0.1", node);
                Socket steady = connectFrom("127.0.0.1", node)) {
            byte[] frame = "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] slow.test from 10.0.0.1"
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            long failedAfter = -1;
            int steadyLines = 0;
            for (int i = 0; i < 15; i++) { // a byte every 200 ms: the idle timeout never fires
                if (failedAfter < 0) {
                    try {
                        slow.getOutputStream().write(frame[i]);
                        slow.getOutputStream().flush();
                    } catch (IOException reset) {
                        failedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    }
                }
                steady.getOutputStream().write(query("steady", i)); // whole lines, just as slowly
                steady.getOutputStream().flush();
                steadyLines++;
                Thread.sleep(200);
            }
            assertThat(failedAfter)
                    .as("ms until the trickling sender got an error")
                    .isBetween(900L, 2500L);
            assertThat(node.counters().dropCount(DropReason.FRAME_TIMEOUT)).isEqualTo(1);
            assertThat(closedByServer(steady, 200))
                    .as("the steady sender stays")
                    .isFalse();
            int expected = steadyLines;
            await(() -> node.counters().messageCount(Transport.TCP) == expected);
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY))
                    .as("nothing of the cut frame")
                    .isEqualTo(expected);
        }
    }

    @Test
    void aSenderAtItsConnectionLimitMakesRoomWithItsIdleConnectionOrIsRefused() throws Exception {
        try (RouterLog node =
                RouterLog.start(RouterLogTest.settings("--max-connections-per-sender", "2", "--frame-timeout", "1s"))) {
            try (Socket a = connectFrom("127.0.0.1", node);
                    Socket b = connectFrom("127.0.0.1", node)) {
                await(() -> openConnections(node) == 2);
                assertThat(refused("127.0.0.1", node, 2000))
                        .as("a third connection, all of them busy")
                        .isTrue();
                assertThat(node.counters().dropCount(DropReason.TOO_MANY_FROM_SENDER))
                        .isEqualTo(1);
                // another sender is not affected
                try (Socket other = connectFrom("127.0.0.2", node)) {
                    other.getOutputStream().write(query("other", 0));
                    other.getOutputStream().flush();
                    await(() -> node.counters().messageCount(Transport.TCP) == 1);
                    assertThat(closedByServer(other, 100)).isFalse();
                }
                // once a and b have completed no frame for the frame timeout, a new connection takes a's place
                b.getOutputStream().write(query("b", 0));
                b.getOutputStream().flush();
                Thread.sleep(1200);
                try (Socket e = connectFrom("127.0.0.1", node)) {
                    e.getOutputStream().write(query("e", 0));
                    e.getOutputStream().flush();
                    assertThat(closedByServer(a, 2000))
                            .as("the longest idle connection made room")
                            .isTrue();
                    assertThat(closedByServer(b, 100)).isFalse();
                    await(() -> node.counters().messageCount(Transport.TCP) == 3);
                }
                assertThat(node.counters().dropCount(DropReason.CONNECTION_EVICTED))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void connectionsTricklingBytesFromManyAddressesDoNotKeepTheRouterOut() throws Exception {
        // slowloris: as many connections as --max-connections, from as many addresses, each sending a byte every
        // 300 ms and never a whole message
        int slots = 20;
        try (RouterLog node = RouterLog.start(
                RouterLogTest.settings("--max-connections", Integer.toString(slots), "--frame-timeout", "2s"))) {
            List<Socket> slow = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < slots; i++) {
                    slow.add(connectFrom("127.0.0." + (10 + i), node));
                }
                await(() -> openConnections(node) == slots);
                var unused = trickle.scheduleAtFixedRate(
                        () -> {
                            for (Socket s : slow) {
                                try {
                                    s.getOutputStream().write('<');
                                } catch (IOException closed) {
                                    // closed by routerlog
                                }
                            }
                        },
                        0,
                        300,
                        TimeUnit.MILLISECONDS);
                // the router, from 127.0.0.1, retries every 500 ms as logd does
                long start = System.nanoTime();
                Socket router = null;
                while (router == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                    Socket s;
                    try {
                        s = connectFrom("127.0.0.1", node);
                    } catch (SocketException reset) {
                        Thread.sleep(500);
                        continue;
                    }
                    if (closedByServer(s, 500)) {
                        s.close();
                    } else {
                        router = s;
                    }
                }
                assertThat(router).as("the router got a connection").isNotNull();
                System.out.printf(
                        "Router connected after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                try (Socket r = Objects.requireNonNull(router)) {
                    for (int i = 0; i < 100; i++) {
                        r.getOutputStream().write(query("router", i));
                    }
                    r.getOutputStream().flush();
                    await(() -> node.counters().messageCount(Transport.TCP) == 100);
                }
                assertThat(node.counters().dropCount(DropReason.FRAME_TIMEOUT)
                                + node.counters().dropCount(DropReason.CONNECTION_EVICTED))
                        .isPositive();
            } finally {
                trickle.shutdownNow();
                for (Socket s : slow) {
                    s.close();
                }
            }
            node.flush();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(100);
        }
    }

    @Test
    void unfinishedFramesOfAllConnectionsTogetherStayWithinTheBudget() throws Exception {
        // every frame is within --max-frame, but together they would be more than --max-buffered
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--max-frame", "1MiB", "--max-buffered", "2MiB"));
                Socket a = connectFrom("127.0.0.2", node);
                Socket b = connectFrom("127.0.0.3", node);
                Socket c = connectFrom("127.0.0.4", node)) {
            byte[] start = "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] big.test from 10.0.0.1 "
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] padding = new byte[1000 << 10];
            Arrays.fill(padding, (byte) 'x');
            for (Socket s : List.of(a, b)) {
                s.getOutputStream().write(start);
                s.getOutputStream().write(padding, 0, 600 << 10);
                s.getOutputStream().flush();
            }
            Thread.sleep(500); // read by now: 1.2 MiB held, within the budget
            assertThat(node.counters().dropCount(DropReason.BUFFER_LIMIT)).isZero();
            c.getOutputStream().write(start);
            c.getOutputStream().write(padding); // over the budget once it holds more than a or b: it holds the most
            c.getOutputStream().flush();
            await(() -> node.counters().dropCount(DropReason.BUFFER_LIMIT) == 1);
            assertThat(closedByServer(c, 2000))
                    .as("the connection holding the most is closed")
                    .isTrue();
            // the others finish their frames, which are delivered
            for (Socket s : List.of(a, b)) {
                s.getOutputStream().write('\n');
                s.getOutputStream().flush();
            }
            await(() -> node.counters().messageCount(Transport.TCP) == 2);
            assertThat(closedByServer(a, 100)).isFalse();
            assertThat(closedByServer(b, 100)).isFalse();
            node.flush();
            assertThat(node.counters().messageCount(Transport.TCP))
                    .as("nothing of the cut frame")
                    .isEqualTo(2);
            assertThat(node.counters().dropCount(DropReason.BUFFER_LIMIT)).isEqualTo(1);
        }
    }

    @Test
    void aFloodOfNewPairsOverTcpIsSlowedDownNotDropped() throws Exception {
        // the smallest bounds: every flush can take only a few thousand new pairs
        try (RouterLog node = RouterLog.start(
                RouterLogTest.settings("--max-pairs", "271", "--io-threads", "1", "--flush-interval", "1s"))) {
            int lines = 60_000;
            StringBuilder b = new StringBuilder(lines * 80);
            for (int i = 0; i < lines; i++) {
                b.append("<30>Jan  5 02:03:04 dnsmasq[1]: query[A] flood")
                        .append(i)
                        .append(".test from 10.9.")
                        .append(i % 200)
                        .append('.')
                        .append(i % 250)
                        .append('\n');
            }
            Senders.tcp(node.syslogPort(), b.toString());
            await(() -> node.counters().messageCount(Transport.TCP) == lines);
            node.flush();
            assertThat(node.counters().dropCount(DropReason.AGGREGATION_FULL))
                    .as("nothing dropped")
                    .isZero();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(lines);
            // the store keeps its bound; the rest was evicted, not lost on the way
            assertThat(node.store().pairs().size()).isLessThanOrEqualTo(271);
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(50),
                    () -> node.store().pairs().size() + node.store().pairs().evicted() >= lines);
            assertThat(node.store().pairs().size() + node.store().pairs().evicted())
                    .isEqualTo(lines);
        }
    }
}
