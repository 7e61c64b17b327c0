package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DnsQuery;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import io.routerlog.syslog.SyslogFrameParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reply outcomes counted with the query they follow ({@link PairCounts#addOutcome}) or on their own: whatever order
 * dnsmasq's lines come in, each outcome is counted once under (router, client, name, outcome), as a separate count
 * of the lines says.
 */
class OutcomeCountsTest {
    private static final String HEADER = "<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: ";

    private static DnsQuery about(String client, String domain, ReplyOutcome outcome) {
        return FlusherTest.query(client, domain, outcome.label()).router(ROUTER, 0, ROUTER.length);
    }

    private static final byte[] ROUTER = "gw".getBytes(StandardCharsets.US_ASCII);

    private static DnsQuery query(String client, String domain, String type) {
        return FlusherTest.query(client, domain, type).router(ROUTER, 0, ROUTER.length);
    }

    private static Map<PairKey, Long> drain(PairCounts counts) {
        return PairCountsTest.drain(counts);
    }

    private static Map<PairKey, Long> drain(PairCounts counts, Map<PairKey, Long> outcomes) {
        return PairCountsTest.drain(counts, outcomes);
    }

    /** Counts {@code outcome} about the client's name with the query counted last, if it is of that name. */
    private static boolean outcome(PairCounts pairs, String client, String domain, ReplyOutcome outcome) {
        return pairs.addOutcome(about(client, domain, outcome), outcome);
    }

    @Test
    void anOutcomeGoesWithTheQueryItFollowsIntoFourSlotsAndMovesUnderItsOwnKey() {
        PairCounts pairs = new PairCounts(1000, 1000);
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.CACHED))
                .as("no query yet")
                .isFalse();
        assertThat(pairs.add(query("10.0.0.1", "a.example", "AAAA"))).isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.FORWARDED))
                .isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.ANSWERED))
                .isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.FORWARDED))
                .isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.CACHED)).isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.NODATA)).isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.BLOCKED))
                .as("all four slots taken by other outcomes")
                .isFalse();
        assertThat(outcome(pairs, "10.0.0.1", "b.example", ReplyOutcome.CACHED))
                .as("another name")
                .isFalse();
        assertThat(outcome(pairs, "10.0.0.1", "a.exampl", ReplyOutcome.CACHED))
                .as("a name that is a prefix of the query's")
                .isFalse();
        assertThat(outcome(pairs, "10.0.0.12", "a.example", ReplyOutcome.CACHED))
                .as("another client")
                .isFalse();
        assertThat(outcome(pairs, "", "a.example", ReplyOutcome.CACHED))
                .as("a line without its client")
                .isFalse();
        // an earlier pair counted again is the last one
        assertThat(pairs.add(query("10.0.0.2", "c.example", "A"))).isTrue();
        assertThat(pairs.add(query("10.0.0.1", "a.example", "AAAA"))).isTrue();
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.ANSWERED))
                .isTrue();

        Map<PairKey, Long> outcomes = new HashMap<>();
        assertThat(drain(pairs, outcomes))
                .containsOnly(
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "AAAA"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.2", "c.example", "A"), 1L));
        assertThat(outcomes)
                .containsOnly(
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "forwarded"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "answered"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "cached"), 1L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "nodata"), 1L));
        assertThat(outcome(pairs, "10.0.0.1", "a.example", ReplyOutcome.ANSWERED))
                .as("the entries may have moved in the drain")
                .isFalse();
        outcomes.clear();
        assertThat(drain(pairs, outcomes)).as("kept, not counted since").isEmpty();
        assertThat(outcomes).as("handed on once").isEmpty();
    }

    @Test
    void dnsmasqsOutcomeLinesAfterTheirQueryNeedNoEntryOfTheirOwn() {
        PipelineCounters counters = new PipelineCounters();
        LocalAggregator aggregator = new LocalAggregator(1000, 0, counters, () -> {});
        Rules rules = new Rules(List.of(), List.of(), ClientAnonymizer.none(), counters, aggregator);
        SyslogFrameParser syslog = new SyslogFrameParser(
                new MessageRouter(counters.programs().local(), new DnsmasqParser(rules, counters, () -> 0L)), counters);
        for (String l : List.of(
                "7 192.168.1.20/40123 query[AAAA] WWW.Example.com from 192.168.1.20",
                "7 192.168.1.20/40123 forwarded www.example.com to 192.0.2.1",
                "7 192.168.1.20/40123 reply www.example.com is 2001:db8::1",
                "8 fe80::1%br-lan/5353 query[A] printer.lan from fe80::1%br-lan",
                "8 fe80::1%br-lan/5353 config printer.lan is 0.0.0.0")) {
            byte[] b = (HEADER + l).getBytes(StandardCharsets.US_ASCII);
            syslog.parse(b, 0, b.length);
        }
        assertThat(aggregator.outcomeKeys())
                .as("all counted with their queries")
                .isZero();
        Batch b = aggregator.take();
        Map<PairKey, Long> outcomes = new HashMap<>();
        drain(b.pairs, outcomes);
        assertThat(drain(b.replies)).isEmpty();
        assertThat(outcomes)
                .containsOnly(
                        Map.entry(new PairKey("OpenWrt", "192.168.1.20", "www.example.com", "forwarded"), 1L),
                        Map.entry(new PairKey("OpenWrt", "192.168.1.20", "www.example.com", "answered"), 1L),
                        Map.entry(new PairKey("OpenWrt", "fe80::1%br-lan", "printer.lan", "blocked"), 1L));
    }

    @Test
    void everyOutcomeLineIsCountedOnceWhateverFollowsWhat() {
        PipelineCounters counters = new PipelineCounters();
        LocalAggregator aggregator = new LocalAggregator(100_000, 0, counters, () -> {});
        Rules rules = new Rules(List.of(), List.of(), ClientAnonymizer.none(), counters, aggregator);
        SyslogFrameParser syslog = new SyslogFrameParser(
                new MessageRouter(counters.programs().local(), new DnsmasqParser(rules, counters, () -> 0L)), counters);
        Random random = new Random(7);
        Map<List<String>, Long> expectedOutcomes = new HashMap<>();
        Map<List<String>, Long> expectedQueries = new HashMap<>();
        Map<List<String>, Long> outcomes = new HashMap<>();
        Map<List<String>, Long> queries = new HashMap<>();
        List<String> deferred = new ArrayList<>();
        String[] types = {"A", "AAAA", "HTTPS"};
        long serial = 0;
        int untilTake = 1 + random.nextInt(3000);
        for (int i = 0; i < 100_000; i++) {
            String client = "10.0.0." + random.nextInt(20);
            String name = "site" + random.nextInt(60) + ".example";
            String prefix = ++serial + " " + client + "/" + (1024 + random.nextInt(60000)) + " ";
            List<String> lines = new ArrayList<>();
            lines.add(prefix + "query[" + types[random.nextInt(3)] + "] " + name + " from " + client);
            expectedQueries.merge(List.of(client, name), 1L, Long::sum);
            int kind = random.nextInt(10);
            List<String[]> said = new ArrayList<>(); // {client, label, line}
            if (kind < 4) {
                said.add(new String[] {client, "forwarded", prefix + "forwarded " + name + " to 192.0.2.1"});
                said.add(new String[] {client, "answered", prefix + "reply " + name + " is 198.51.100.7"});
            } else if (kind < 6) {
                said.add(new String[] {client, "cached", prefix + "cached " + name + " is 198.51.100.7"});
            } else if (kind < 7) {
                said.add(new String[] {client, "blocked", prefix + "config " + name + " is 0.0.0.0"});
            } else if (kind < 8) {
                // three outcomes for one query; with the others a pair sees five kinds, one more than its slots
                said.add(new String[] {client, "forwarded", prefix + "forwarded " + name + " to 192.0.2.1"});
                said.add(new String[] {client, "nxdomain", prefix + "reply " + name + " is NXDOMAIN"});
                said.add(new String[] {client, "cached", prefix + "cached " + name + " is NXDOMAIN"});
            } else if (kind < 9) {
                // without log-queries=extra the outcome names no client
                said.add(new String[] {"", "answered", "reply " + name + " is 198.51.100.8"});
            } else {
                // answered later, after other clients' lines
                deferred.add(prefix + "reply " + name + " is 198.51.100.9");
                expectedOutcomes.merge(List.of(client, name, "answered"), 1L, Long::sum);
            }
            for (String[] s : said) {
                lines.add(s[2]);
                expectedOutcomes.merge(List.of(s[0], name, s[1]), 1L, Long::sum);
            }
            if (!deferred.isEmpty() && random.nextInt(4) == 0) {
                lines.add(deferred.remove(random.nextInt(deferred.size())));
            }
            for (String l : lines) {
                byte[] b = (HEADER + l).getBytes(StandardCharsets.US_ASCII);
                syslog.parse(b, 0, b.length);
                if (--untilTake == 0) {
                    take(aggregator, queries, outcomes);
                    untilTake = 1 + random.nextInt(3000);
                }
            }
        }
        for (String l : deferred) {
            byte[] b = (HEADER + l).getBytes(StandardCharsets.US_ASCII);
            syslog.parse(b, 0, b.length);
        }
        take(aggregator, queries, outcomes);
        assertThat(queries).isEqualTo(expectedQueries);
        assertThat(outcomes).isEqualTo(expectedOutcomes);
        assertThat(counters.dropsByReason().values()).allMatch(n -> n == 0);
    }

    /** What the flusher does with a batch: takes it, drains both tables, gives it back. */
    private static void take(
            LocalAggregator aggregator, Map<List<String>, Long> queries, Map<List<String>, Long> outcomes) {
        Batch b = aggregator.take();
        PairCounts.Sink outcome = (k, off, len, hash, n) -> {
            PairKey p = java.util.Objects.requireNonNull(PairBytes.decode(k, off, len));
            assertThat(p.router()).isEqualTo("OpenWrt");
            outcomes.merge(List.of(p.client(), p.domain(), p.qtype()), n, Long::sum);
        };
        b.pairs.drainTo(
                (k, off, len, hash, n) -> {
                    PairKey p = java.util.Objects.requireNonNull(PairBytes.decode(k, off, len));
                    assertThat(p.router()).isEqualTo("OpenWrt");
                    queries.merge(List.of(p.client(), p.domain()), n, Long::sum);
                },
                outcome);
        b.replies.drainTo(outcome);
        b.pairs.recycle();
        b.replies.recycle();
        aggregator.giveBack(b);
    }
}
