package io.routerlog.rules;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import java.util.List;

/**
 * The one place where the rules that hold for every source are applied, between the parsers (query log lines,
 * DHCP lines and lease files, DNS packets, firewall and proxy lines) and the aggregation:
 * <ul>
 *   <li>addresses of devices in their canonical form ({@code ::ffff:192.168.1.23} is {@code 192.168.1.23}), then
 *       anonymized when {@code --anonymize-clients} asks for it: query clients, DHCP addresses, firewall source and
 *       destination, proxy clients; with anonymization, DHCP identities are not passed on at all;</li>
 *   <li>names and other text from the network in their stored form ({@link Names}): lower-case, escaped, bounded;
 *       the router's name escaped and cut to {@value #MAX_ROUTER_LENGTH} bytes;</li>
 *   <li>{@code --ignore-domain}: the query is counted in {@code routerlog_dns_queries_ignored_total} and goes no
 *       further;</li>
 *   <li>{@code --dnstt-domain}: a query under a tunnel domain counts as the domain itself and is also reported as a
 *       {@link TunnelQuery} (its session, its size: from the packet, or for a log line what a dnstt client's query
 *       for that name measures); a response under it as a tunnel response;</li>
 *   <li>a name longer than 253 characters that is not under a tunnel domain is stored as a suffix of it
 *       ({@link Names#shortenedStart}) and flagged, so it is still counted, per client, and the fact is visible.</li>
 * </ul>
 * Allocation-free for queries of known clients. One instance per receive thread (not thread-safe).
 */
public final class Rules implements EventSink {
    /**
     * Longer than any router's name or address; escaped it still fits the byte that holds its length in the
     * aggregation's keys.
     */
    static final int MAX_ROUTER_LENGTH = 63;

    private static final byte[] NO_CLIENT = new byte[0];

    private final EventSink next;
    private final PipelineCounters counters;
    private final DomainFilter ignored;
    private final TunnelDomains tunnels;
    private final boolean anyTunnel;
    private final ClientAddresses clients;
    private final DnsQuery out = new DnsQuery();
    private final TunnelQuery tunnelOut = new TunnelQuery();
    private byte[] buf = new byte[1024];

    /**
     * @param ignoreDomains {@code --ignore-domain} patterns
     * @param tunnelDomains {@code --dnstt-domain} domains, in the order the DNSTT metrics number them
     * @param anonymizer how device addresses are stored (this instance keeps a copy of its own)
     */
    public Rules(
            List<String> ignoreDomains,
            List<String> tunnelDomains,
            ClientAnonymizer anonymizer,
            PipelineCounters counters,
            EventSink next) {
        this.next = next;
        this.counters = counters;
        this.ignored = DomainFilter.of(ignoreDomains);
        this.tunnels = new TunnelDomains(tunnelDomains);
        this.anyTunnel = !tunnelDomains.isEmpty();
        this.clients = new ClientAddresses(anonymizer.copy());
    }

    @Override
    public void query(DnsQuery q) {
        int client = clients.lookup(q.buf(), q.clientOffset(), q.clientLength());
        if (client < 0) {
            counters.dropped(DropReason.INTERNAL_ERROR); // every source checks its addresses
            return;
        }
        byte[] stored = clients.stored(client);
        int name = stored.length;
        ensureRoom(name + Names.capacity(q.domainLength()) + Names.capacity(q.qtypeLength()) + routerRoom(q));
        System.arraycopy(stored, 0, buf, 0, name);
        int nameLen = Names.normalize(q.buf(), q.domainOffset(), q.domainLength(), buf, name);
        if (ignored.matches(buf, name, nameLen)) {
            counters.ignoredQuery();
            return;
        }
        int end = name + nameLen;
        int tunnel = anyTunnel ? tunnels.indexOf(buf, name, nameLen) : -1;
        boolean shortened = false;
        if (tunnel >= 0) {
            int wireBytes =
                    q.wireBytes() > 0 ? q.wireBytes() : TunnelQuery.FIXED_QUERY_BYTES + DnsttNames.wireLength(nameLen);
            setTunnel(tunnel, clients.canonical(client), name, nameLen, wireBytes);
            name = end - tunnels.length(tunnel);
        } else if (nameLen > Names.MAX_NAME_LENGTH) {
            name = Names.shortenedStart(buf, name, nameLen);
            shortened = true;
        }
        int typeLen = Names.escape(q.buf(), q.qtypeOffset(), q.qtypeLength(), buf, end);
        storeRouter(q, end + typeLen);
        next.query(out.set(buf, 0, stored.length, name, end - name, end, typeLen, q.wireBytes(), shortened));
        if (tunnel >= 0) {
            next.tunnelQuery(tunnelOut);
        }
    }

    @Override
    public void response(DnsQuery r) {
        if (!anyTunnel) {
            return;
        }
        int client = clients.lookup(r.buf(), r.clientOffset(), r.clientLength());
        if (client < 0) {
            return;
        }
        ensureRoom(Names.capacity(r.domainLength()));
        int nameLen = Names.normalize(r.buf(), r.domainOffset(), r.domainLength(), buf, 0);
        int tunnel = tunnels.indexOf(buf, 0, nameLen);
        if (tunnel >= 0) {
            setTunnel(tunnel, clients.canonical(client), 0, nameLen, r.wireBytes());
            next.tunnelResponse(tunnelOut);
        }
    }

    /** The DNSTT view of a name under tunnel {@code tunnel}: its session, if the labels before the domain hold one. */
    private void setTunnel(int tunnel, byte[] sender, int name, int nameLen, int wireBytes) {
        int labels = Math.max(0, nameLen - tunnels.length(tunnel) - 1);
        boolean session = DnsttNames.hasClientId(buf, name, labels);
        tunnelOut.set(
                tunnel,
                sender,
                0,
                sender.length,
                session,
                session ? DnsttNames.clientId(buf, name, labels) : 0,
                wireBytes);
    }

    private void ensureRoom(int n) {
        if (buf.length < n) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
    }

    @Override
    public void tunnelQuery(TunnelQuery query) {
        next.tunnelQuery(query);
    }

    @Override
    public void tunnelResponse(TunnelQuery response) {
        next.tunnelResponse(response);
    }

    /**
     * The name an outcome is about in its stored form, under the same rules as a query's: an ignored name is not
     * passed on (the outcome is, without a name), a name under a tunnel domain counts as the domain, an over-long
     * one as its suffix. The client, when the line names one, is stored as query clients are; the outcome's label
     * takes the place of the type.
     */
    @Override
    public void reply(ReplyOutcome outcome, DnsQuery a) {
        int client = a.clientLength() == 0 ? -1 : clients.lookup(a.buf(), a.clientOffset(), a.clientLength());
        byte[] stored = client < 0 ? NO_CLIENT : clients.stored(client);
        int c = stored.length;
        ensureRoom(c + Names.capacity(a.domainLength()) + outcome.labelLength() + routerRoom(a));
        System.arraycopy(stored, 0, buf, 0, c);
        int nameLen = a.domainLength() == 0 ? 0 : Names.normalize(a.buf(), a.domainOffset(), a.domainLength(), buf, c);
        int end = c + nameLen;
        int name = c;
        boolean shortened = false;
        if (nameLen == 0 || ignored.matches(buf, c, nameLen)) {
            end = name = c = 0;
        } else {
            int tunnel = anyTunnel ? tunnels.indexOf(buf, c, nameLen) : -1;
            if (tunnel >= 0) {
                name = end - tunnels.length(tunnel);
            } else if (nameLen > Names.MAX_NAME_LENGTH) {
                name = Names.shortenedStart(buf, c, nameLen);
                shortened = true;
            }
        }
        int labelEnd = outcome.copyLabel(buf, end);
        storeRouter(a, labelEnd);
        next.reply(outcome, out.set(buf, 0, c, name, end - name, end, labelEnd - end, 0, shortened));
    }

    /** With anonymization a MAC and hostname would name the device the address no longer names: not passed on. */
    @Override
    public void lease(DhcpLease l) {
        if (!clients.anonymizing()) {
            next.lease(new DhcpLease(
                    router(l.router()),
                    clients.stored(l.ip()),
                    Names.escape(l.mac()),
                    Names.escape(l.hostname()),
                    Names.escape(l.clientId()),
                    l.seenAtMillis(),
                    l.expiresAtMillis()));
        }
    }

    @Override
    public void release(DhcpRelease r) {
        if (!clients.anonymizing()) {
            next.release(new DhcpRelease(
                    router(r.router()), clients.stored(r.ip()), Names.escape(r.mac()), r.seenAtMillis()));
        }
    }

    /** Room the stored form of {@code q}'s router takes in {@link #buf}. */
    private static int routerRoom(DnsQuery q) {
        return Names.capacity(Math.min(q.routerLength(), MAX_ROUTER_LENGTH));
    }

    /** Writes {@code q}'s router, cut and escaped, to {@link #buf} at {@code at}, and points {@link #out} at it. */
    private void storeRouter(DnsQuery q, int at) {
        int len = Names.escape(q.routerBuf(), q.routerOffset(), Math.min(q.routerLength(), MAX_ROUTER_LENGTH), buf, at);
        out.router(buf, at, len);
    }

    private static String router(String name) {
        return Names.escape(name.length() > MAX_ROUTER_LENGTH ? name.substring(0, MAX_ROUTER_LENGTH) : name);
    }

    /**
     * Both addresses are anonymized: a device of the network may be either, and a global IPv6 address of a device
     * cannot be told from one outside.
     */
    @Override
    public void firewallPacket(FirewallPacket p) {
        next.firewallPacket(new FirewallPacket(
                Names.escape(p.prefix()),
                clients.stored(p.src()),
                clients.stored(p.dst()),
                Names.escape(p.proto()),
                Names.escape(p.dport())));
    }

    @Override
    public void httpRequest(HttpRequest r) {
        next.httpRequest(new HttpRequest(
                clients.stored(r.client()),
                Names.escape(r.frontend()),
                Names.escape(r.backend()),
                Names.escape(r.status())));
    }
}
