package io.routerlog.source;

import io.routerlog.stats.Transport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where and how to listen for syslog.
 *
 * @param address           local address for both UDP and TCP
 * @param port              port number for both UDP and TCP; 0 picks a free one
 * @param transports        the listeners to open: UDP and TCP on {@code port}, TLS on {@code tlsPort}
 * @param tlsPort           port of the TLS syslog listener (RFC 5425), 0 for a free one; empty without one
 * @param maxFrame          longest message in bytes; longer frames are counted and skipped
 * @param maxBuffered       bytes all TCP connections together may hold in unfinished frames
 * @param udpReceiveBuffer  SO_RCVBUF asked for on the UDP socket(s)
 * @param ioThreads         receive threads
 * @param allowFrom         senders accepted
 * @param maxConnections    TCP connections open at once; more are refused (or make room, see ConnectionTracker)
 * @param maxConnectionsPerSender TCP connections open at once from one address
 * @param idleTimeout       a TCP connection that sends nothing for this long is closed; zero for never
 * @param frameTimeout      a TCP frame must end within this time of its first byte; zero for no limit
 * @param shutdownGrace     on close, how long open TCP connections are read until their senders are quiet
 * @param routerFromSender  a message's router is its sender's address even when it has a HOSTNAME
 */
public record ListenerSettings(
        InetAddress address,
        int port,
        Set<Transport> transports,
        OptionalInt tlsPort,
        int maxFrame,
        long maxBuffered,
        int udpReceiveBuffer,
        int ioThreads,
        AddressRanges allowFrom,
        int maxConnections,
        int maxConnectionsPerSender,
        Duration idleTimeout,
        Duration frameTimeout,
        Duration shutdownGrace,
        boolean routerFromSender) {

    public ListenerSettings {
        Set<Transport> copy = EnumSet.noneOf(Transport.class);
        copy.addAll(transports);
        transports = Collections.unmodifiableSet(copy);
    }

    /** True when syslog is received over UDP on {@link #port}. */
    public boolean udp() {
        return transports.contains(Transport.UDP);
    }

    /** True when syslog is received over TCP on {@link #port}. */
    public boolean tcp() {
        return transports.contains(Transport.TCP);
    }
}
