package io.routerlog.source;

import java.net.InetAddress;

/**
 * Where and how to listen for syslog.
 *
 * @param address           local address for both UDP and TCP
 * @param port              port number for both UDP and TCP; 0 picks a free one
 * @param maxFrame          longest message in bytes; longer frames are counted and skipped
 * @param udpReceiveBuffer  SO_RCVBUF asked for on the UDP socket(s)
 * @param ioThreads         receive threads
 * @param allowFrom         senders accepted
 * @param maxConnections    TCP connections open at once; more are refused
 * @param idleTimeout       a TCP connection that sends nothing for this long is closed; zero for never
 */
public record ListenerSettings(InetAddress address, int port, int maxFrame, int udpReceiveBuffer, int ioThreads,
        AddressRanges allowFrom, int maxConnections, java.time.Duration idleTimeout) {
}
