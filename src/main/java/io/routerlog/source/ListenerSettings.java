package io.routerlog.source;

import java.net.InetAddress;

/**
 * Where and how to listen for syslog.
 *
 * @param address           local address for both UDP and TCP
 * @param port              port number for both UDP and TCP; 0 picks a free one
 * @param udp               listen on UDP on that port
 * @param tcp               listen on TCP on that port
 * @param maxFrame          longest message in bytes; longer frames are counted and skipped
 * @param maxBuffered       bytes all TCP connections together may hold in unfinished frames
 * @param udpReceiveBuffer  SO_RCVBUF asked for on the UDP socket(s)
 * @param ioThreads         receive threads
 * @param allowFrom         senders accepted
 * @param maxConnections    TCP connections open at once; more are refused (or make room, see ConnectionTracker)
 * @param maxConnectionsPerSender TCP connections open at once from one address
 * @param idleTimeout       a TCP connection that sends nothing for this long is closed; zero for never
 * @param frameTimeout      a TCP frame must end within this time of its first byte; zero for no limit
 * @param tlsPort           port of the TLS syslog listener (RFC 5425), 0 for none
 * @param tls               its server context, or null
 */
public record ListenerSettings(InetAddress address, int port, boolean udp, boolean tcp, int maxFrame, long maxBuffered, int udpReceiveBuffer,
        int ioThreads,
        AddressRanges allowFrom, int maxConnections, int maxConnectionsPerSender, java.time.Duration idleTimeout,
        java.time.Duration frameTimeout, int tlsPort,
        io.netty.handler.ssl.SslContext tls) {
}
