package io.routerlog.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.FirewallLogParser;
import io.routerlog.parser.HaproxyLogParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.syslog.SyslogFrameParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stages of a receive thread from the syslog parser to the rules ({@code SyslogFrameParser -> MessageRouter ->
 * parsers -> Rules}), ending in a sink that records what reaches the aggregation: for tests that feed log lines and
 * look at the events.
 */
public final class DnsmasqChain {
    /** The clock of DHCP events. */
    public static final long NOW = 1_767_225_600_000L;

    /** A DNSTT query as the rules reported it, copied out of the flyweight. */
    public record Tunnel(int domainIndex, String sender, boolean hasSession, long clientId, int wireBytes) {
    }

    /** A DNS query as the rules reported it, copied out of the flyweight. */
    public record Query(String client, String domain, String qtype) {
    }

    /** Records every event; copies the flyweights because they are only valid during the call. */
    public static class RecordingSink implements EventSink {
        public final List<Query> queries = new ArrayList<>();
        /** The queries whose over-long names were shortened. */
        public final List<Query> shortened = new ArrayList<>();
        public final List<ReplyOutcome> replies = new ArrayList<>();
        public final List<DhcpLease> leases = new ArrayList<>();
        public final List<DhcpRelease> releases = new ArrayList<>();
        public final List<FirewallPacket> firewall = new ArrayList<>();
        public final List<HttpRequest> http = new ArrayList<>();
        /** Reported in addition to the query, so not part of {@link #eventCount}. */
        public final List<Tunnel> tunnels = new ArrayList<>();

        @Override
        public void query(DnsQuery q) {
            Query query = new Query(q.client(), q.domain(), q.qtype());
            queries.add(query);
            if (q.shortened()) {
                shortened.add(query);
            }
        }

        @Override
        public void tunnelQuery(TunnelQuery q) {
            tunnels.add(new Tunnel(q.domainIndex(), q.sender(), q.hasSession(), q.clientId(), q.wireBytes()));
        }

        @Override
        public void reply(ReplyOutcome outcome) {
            replies.add(outcome);
        }

        @Override
        public void lease(DhcpLease lease) {
            leases.add(lease);
        }

        @Override
        public void release(DhcpRelease release) {
            releases.add(release);
        }

        @Override
        public void firewallPacket(FirewallPacket packet) {
            firewall.add(packet);
        }

        @Override
        public void httpRequest(HttpRequest request) {
            http.add(request);
        }

        public int eventCount() {
            return queries.size() + replies.size() + leases.size() + releases.size() + firewall.size() + http.size();
        }
    }

    public final PipelineCounters counters = new PipelineCounters();
    public final RecordingSink sink = new RecordingSink();
    private final SyslogFrameParser syslog;

    /** A chain with these DNSTT domains, no ignore list and no anonymization. */
    public DnsmasqChain(String... tunnelDomains) {
        this(List.of(), List.of(tunnelDomains), ClientAnonymizer.none());
    }

    public DnsmasqChain(List<String> ignoreDomains, List<String> tunnelDomains, ClientAnonymizer anonymizer) {
        Rules rules = new Rules(ignoreDomains, tunnelDomains, anonymizer, counters, sink);
        syslog = new SyslogFrameParser(new MessageRouter(counters.programs().local(),
                new DnsmasqParser(rules, counters, () -> NOW), new FirewallLogParser(rules, counters),
                new HaproxyLogParser(rules, counters)), counters);
    }

    /** One whole syslog message. */
    public DnsmasqChain line(String line) {
        return line(line.getBytes(UTF_8));
    }

    public DnsmasqChain line(byte[] b) {
        syslog.parse(b, 0, b.length);
        return this;
    }

    public DnsmasqChain from(String tag, String message) {
        return line("<30>Jan  5 12:34:56 OpenWrt " + tag + ": " + message);
    }

    public DnsmasqChain dns(String message) {
        return from("dnsmasq[1]", message);
    }

    public DnsmasqChain dhcp(String message) {
        return from("dnsmasq-dhcp[1]", message);
    }

    public Map<DnsmasqLineKind, Long> lines() {
        return nonZero(counters.dnsmasqLinesByKind());
    }

    public Map<DropReason, Long> drops() {
        return nonZero(counters.dropsByReason());
    }

    public Query onlyQuery() {
        assertThat(sink.queries).hasSize(1);
        assertThat(sink.eventCount()).isEqualTo(1);
        return sink.queries.get(0);
    }

    public void assertOnlyLine(DnsmasqLineKind kind) {
        assertThat(lines()).containsExactly(entry(kind, 1L));
        assertThat(drops()).isEmpty();
    }

    public void assertOnlyDrop(DropReason reason) {
        assertThat(drops()).containsExactly(entry(reason, 1L));
        assertThat(lines()).isEmpty();
        assertThat(sink.eventCount()).isZero();
    }

    private static <K> Map<K, Long> nonZero(Map<K, Long> m) {
        return m.entrySet().stream().filter(e -> e.getValue() != 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
