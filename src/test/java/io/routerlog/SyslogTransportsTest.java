package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.Transport;
import io.routerlog.testing.ListeningSockets;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.Senders;
import io.routerlog.testing.Waiting;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** --syslog-transports: the listeners that are not asked for are not opened. */
@ExtendWith(NettyLeakCheck.class)
class SyslogTransportsTest {
    private static final String LINE = "<30>Jan  5 02:03:04 dnsmasq[1]: query[A] a.test from 10.0.0.1";

    @Test
    void withUdpLeftOutNothingListensOnTheUdpPort() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "reads /proc/net (Linux)");
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--syslog-transports", "tcp"))) {
            int port = node.syslogPort();
            assertThat(ListeningSockets.tcp(port)).isNotEmpty();
            assertThat(ListeningSockets.udp(port))
                    .as("UDP sockets on port %d", port)
                    .isEmpty();
            // the port is free for anyone else's UDP socket
            try (DatagramSocket other =
                    new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertThat(other.getLocalPort()).isEqualTo(port);
            }
            Senders.udp(port, List.of(LINE));
            Senders.tcp(port, LINE + "\n");
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(10),
                    () -> node.counters().messageCount(Transport.TCP) >= 1);
            node.flush();
            assertThat(node.counters().messageCount(Transport.UDP)).isZero();
            assertThat(node.counters().dnsmasqLineCount(DnsmasqLineKind.QUERY)).isEqualTo(1);
        }
    }

    @Test
    void byDefaultUdpAndTcpListenOnTheSamePort() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "reads /proc/net (Linux)");
        try (RouterLog node = RouterLog.start(RouterLogTest.settings())) {
            assertThat(ListeningSockets.udp(node.syslogPort())).isNotEmpty();
            assertThat(ListeningSockets.tcp(node.syslogPort())).isNotEmpty();
        }
        try (RouterLog node = RouterLog.start(RouterLogTest.settings("--syslog-transports", "udp"))) {
            assertThat(ListeningSockets.udp(node.syslogPort())).isNotEmpty();
            assertThat(ListeningSockets.tcp(node.syslogPort())).isEmpty();
        }
    }
}
