package io.routerlog.event;

/**
 * What the parsers report. Implemented by the local aggregation of each receive thread; calls must not block.
 */
public interface EventSink {
    /** One DNS query. The flyweight is only valid during the call. */
    void query(DnsQuery query);

    /** A query under a DNSTT tunnel domain (reported in addition to {@link #query}). The flyweight is only valid
     * during the call. */
    void tunnelQuery(TunnelQuery query);

    /**
     * A DNS response under a DNSTT tunnel domain, seen in a packet capture (a query log has none):
     * {@link TunnelQuery#sender()} is the address the response was sent to (usually a recursive resolver),
     * {@link TunnelQuery#wireBytes()} the size of the response message. Counts the tunnel's bytes out; sinks that
     * do not keep DNSTT data ignore it. The flyweight is only valid during the call.
     */
    default void tunnelResponse(TunnelQuery response) {
    }

    /** One answer, forward or other outcome line of the resolver. */
    void reply(ReplyOutcome outcome);

    /** A DHCP server acknowledged (or a lease file lists) this identity for an address. */
    void lease(DhcpLease lease);

    /** A client gave its address back. */
    void release(DhcpRelease release);

    /** A packet a firewall rule logged. Sinks that do not keep firewall data ignore it. */
    default void firewallPacket(FirewallPacket packet) {
    }

    /** An HTTP request a reverse proxy logged. Sinks that do not keep proxy data ignore it. */
    default void httpRequest(HttpRequest request) {
    }
}
