package io.routerlog.testing;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The one {@link EventSink} tests look through: it keeps every event it is given, by kind and in the order they
 * came, so that a test asserts on plain values after the fact instead of inside a call (an exception thrown inside
 * a call is counted as {@code internal_error} by the receive path, not reported). The flyweights are copied
 * because they are only valid during the call. Plain packet responses ({@link #response}) only feed the DNSTT
 * bytes out and are not kept. Subclasses may override a call to make the sink fail.
 */
public class RecordingSink implements EventSink {
    /** A DNS query as reported, copied out of the flyweight. */
    public record Query(String client, String domain, String qtype) {}

    /** A DNSTT query as reported, copied out of the flyweight. */
    public record Tunnel(int domainIndex, String sender, boolean hasSession, long clientId, int wireBytes) {}

    /** A DNS response under a DNSTT domain as reported, copied out of the flyweight. */
    public record TunnelResponse(int domainIndex, String sender, int wireBytes) {}

    public final List<Query> queries = new ArrayList<>();
    /** The router of each query in {@link #queries}. */
    public final List<String> routers = new ArrayList<>();
    /** The queries whose over-long names were shortened. */
    public final List<Query> shortened = new ArrayList<>();

    public final List<ReplyOutcome> replies = new ArrayList<>();
    /** Each reply with a name, as "router client domain outcome" (client empty when the line did not say). */
    public final List<String> replyNames = new ArrayList<>();

    public final List<DhcpLease> leases = new ArrayList<>();
    public final List<DhcpRelease> releases = new ArrayList<>();
    public final List<FirewallPacket> firewall = new ArrayList<>();
    public final List<HttpRequest> http = new ArrayList<>();
    /** Reported in addition to the query, so not part of {@link #eventCount}. */
    public final List<Tunnel> tunnels = new ArrayList<>();
    /** Reported in addition to the reply, so not part of {@link #eventCount}. */
    public final List<TunnelResponse> tunnelResponses = new ArrayList<>();
    /** Every event above in the order it came: for tests of a source that reports several kinds interleaved. */
    public final List<Object> inOrder = new ArrayList<>();

    @Override
    public void query(DnsQuery q) {
        Query query = new Query(q.client(), q.domain(), q.qtype());
        queries.add(query);
        routers.add(q.router());
        if (q.shortened()) {
            shortened.add(query);
        }
        inOrder.add(query);
    }

    @Override
    public void tunnelQuery(TunnelQuery q) {
        Tunnel tunnel = new Tunnel(q.domainIndex(), q.sender(), q.hasSession(), q.clientId(), q.wireBytes());
        tunnels.add(tunnel);
        inOrder.add(tunnel);
    }

    @Override
    public void tunnelResponse(TunnelQuery r) {
        TunnelResponse response = new TunnelResponse(r.domainIndex(), r.sender(), r.wireBytes());
        tunnelResponses.add(response);
        inOrder.add(response);
    }

    @Override
    public void reply(ReplyOutcome outcome, DnsQuery about) {
        if (about.domainLength() > 0) {
            replyNames.add(about.router() + " " + about.client() + " " + about.domain() + " " + about.qtype());
        }
        replies.add(outcome);
        inOrder.add(outcome);
    }

    @Override
    public void lease(DhcpLease lease) {
        leases.add(lease);
        inOrder.add(lease);
    }

    @Override
    public void release(DhcpRelease release) {
        releases.add(release);
        inOrder.add(release);
    }

    @Override
    public void firewallPacket(FirewallPacket packet) {
        firewall.add(packet);
        inOrder.add(packet);
    }

    @Override
    public void httpRequest(HttpRequest request) {
        http.add(request);
        inOrder.add(request);
    }

    /** Queries, replies, DHCP, firewall and proxy events: what a source reports once per line. */
    public int eventCount() {
        return queries.size() + replies.size() + leases.size() + releases.size() + firewall.size() + http.size();
    }
}
