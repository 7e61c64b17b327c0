package io.routerlog.event;

/**
 * What the parsers report, and what the rules stage reports on to the aggregation. Calls must not block.
 *
 * <p>Parsers report {@link #query}, {@link #response}, {@link #reply}, DHCP, firewall and proxy events with names
 * and addresses as the source wrote them. The rules stage ({@code rules.Rules}) applies the rules every source
 * shares (canonical addresses, anonymization, name form, ignore list, DNSTT folding) and reports the result on,
 * adding {@link #tunnelQuery} and {@link #tunnelResponse} for traffic under a DNSTT domain.
 */
public interface EventSink {
    /** One DNS query. The flyweight is only valid during the call. */
    void query(DnsQuery query);

    /**
     * A DNS response seen in a packet (a query log has none): {@link DnsQuery#client()} is the address it was sent
     * to, {@link DnsQuery#wireBytes()} the size of the message. Its outcome is reported by {@link #reply}; this
     * call only feeds the DNSTT bytes out. The flyweight is only valid during the call.
     */
    default void response(DnsQuery response) {}

    /** A query under a DNSTT tunnel domain (reported in addition to {@link #query}). The flyweight is only valid
     * during the call. */
    default void tunnelQuery(TunnelQuery query) {}

    /**
     * A DNS response under a DNSTT tunnel domain: {@link TunnelQuery#sender()} is the address the response was sent
     * to (usually a recursive resolver), {@link TunnelQuery#wireBytes()} the size of the response message. The
     * flyweight is only valid during the call.
     */
    default void tunnelResponse(TunnelQuery response) {}

    /**
     * One answer, forward or other outcome line of the resolver. {@code about} (a flyweight, valid during the call)
     * names the router, the name the line is about, and the client it was for when the source says (empty when
     * not: a log line without the {@code log-queries=extra} prefix); its type is empty, and its name may be empty
     * when the outcome cannot be tied to one.
     */
    void reply(ReplyOutcome outcome, DnsQuery about);

    /** A DHCP server acknowledged (or a lease file lists) this identity for an address. */
    void lease(DhcpLease lease);

    /** A client gave its address back. */
    void release(DhcpRelease release);

    /** A packet a firewall rule logged. Sinks that do not keep firewall data ignore it. */
    default void firewallPacket(FirewallPacket packet) {}

    /** An HTTP request a reverse proxy logged. Sinks that do not keep proxy data ignore it. */
    default void httpRequest(HttpRequest request) {}
}
