package io.routerlog.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.FirewallLogParser;
import io.routerlog.parser.HaproxyLogParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.syslog.FrameSink;
import io.routerlog.syslog.SyslogFrameParser;
import io.routerlog.testing.RecordingSink.Query;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stages of a receive thread from the syslog parser to the rules ({@code SyslogFrameParser -> MessageRouter ->
 * parsers -> Rules}), ending in a {@link RecordingSink} that records what reaches the aggregation: for tests that
 * feed log lines and look at the events.
 */
public final class DnsmasqChain {
    /** The clock of DHCP events. */
    public static final long NOW = 1_767_225_600_000L;

    public final PipelineCounters counters = new PipelineCounters();
    public final RecordingSink sink;
    private final SyslogFrameParser syslog;

    /** A chain with these DNSTT domains, no ignore list and no anonymization. */
    public DnsmasqChain(String... tunnelDomains) {
        this(List.of(), List.of(tunnelDomains), ClientAnonymizer.none());
    }

    public DnsmasqChain(List<String> ignoreDomains, List<String> tunnelDomains, ClientAnonymizer anonymizer) {
        this(ignoreDomains, tunnelDomains, anonymizer, new RecordingSink());
    }

    /** A chain ending in {@code sink}: a subclass that fails shows how the receive path takes a fault. */
    public DnsmasqChain(
            List<String> ignoreDomains, List<String> tunnelDomains, ClientAnonymizer anonymizer, RecordingSink sink) {
        this.sink = sink;
        Rules rules = new Rules(ignoreDomains, tunnelDomains, anonymizer, counters, sink);
        syslog = new SyslogFrameParser(
                new MessageRouter(
                        counters.programs().local(),
                        new DnsmasqParser(rules, counters, () -> NOW),
                        new FirewallLogParser(rules, counters),
                        new HaproxyLogParser(rules, counters),
                        false),
                counters);
    }

    /** The head of the chain, for a framing stage (or a channel) to feed frames to; it counts in {@link #counters}. */
    public FrameSink frames() {
        return syslog;
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
        return m.entrySet().stream()
                .filter(e -> e.getValue() != 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
