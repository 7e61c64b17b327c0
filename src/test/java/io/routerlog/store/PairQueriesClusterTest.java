package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.StoreCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The top lists and totals on three real members, each flushing its own counts into pairs spread over every
 * partition (many shared by all three, many tied), against the answer computed here from everything written: the
 * groups each member builds must join into the exact answer on whichever member is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PairQueriesClusterTest {
    private static final long TIMEOUT = 30_000;
    private static final String[] ROUTERS = {"r1", "r2", "r10"};
    private static final String[] QTYPES = {"A", "AAAA", "HTTPS"};

    private final List<Store> members = new ArrayList<>();
    /** Everything written: each pair's total over all members. */
    private final Map<PairKey, Long> pairs = new HashMap<>();
    /** Reply outcomes written; the client is empty when the reply did not name it. */
    private final Map<PairKey, Long> outcomes = new HashMap<>();

    @BeforeAll
    void fill() throws Exception {
        members.addAll(StoreCluster.start(StoreCluster.settings(
                3,
                "pairs",
                cluster -> new StoreSettings(100_000, 1000, 1000, Duration.ofHours(1), 1, cluster, 10_000, 0))));
        Random random = new Random(18);
        for (int m = 0; m < members.size(); m++) {
            Map<PairKey, Long> counts = new HashMap<>();
            Map<PairKey, Long> replies = new HashMap<>();
            for (int i = 0; i < 6000; i++) {
                // few counts over few names: many ties, and the same pair from several members
                String router = ROUTERS[random.nextInt(ROUTERS.length)];
                String client = "10.0." + random.nextInt(3) + "." + random.nextInt(40);
                String domain = "d" + random.nextInt(1500) + ".example";
                long n = 1L + random.nextInt(3);
                counts.merge(new PairKey(router, client, domain, QTYPES[random.nextInt(QTYPES.length)]), n, Long::sum);
                String outcome = random.nextBoolean() ? "blocked" : "cached";
                replies.merge(new PairKey(router, random.nextInt(4) == 0 ? "" : client, domain, outcome), n, Long::sum);
            }
            counts.forEach((k, v) -> pairs.merge(k, v, Long::sum));
            replies.forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            members.get(m).pairs().add(counts, TIMEOUT);
            members.get(m).outcomes().add(replies, TIMEOUT);
        }
    }

    @AfterAll
    void stop() {
        members.forEach(Store::close);
    }

    @Test
    void packedPartsOfEveryMemberAddUpToEveryPairOnce() {
        // what /metrics serves: each member its own pairs (summed over members, each pair once), or all of them
        Map<PairKey, Long> owned = new HashMap<>();
        for (Store member : members) {
            StoreTest.unpack(member.pairs().packOwnedParts())
                    .forEach((k, v) -> assertThat(owned.put(k, v))
                            .as("owned by one member")
                            .isNull());
            assertThat(StoreTest.unpack(member.pairs().packAllParts())).isEqualTo(pairs);
        }
        assertThat(owned).isEqualTo(pairs);
    }

    @Test
    void topDomainsAreExactOnEveryMember() {
        List<PairFilter> filters = List.of(
                PairFilter.ALL,
                new PairFilter("r2", null, null),
                new PairFilter(null, "10.0.1.7", null),
                new PairFilter("r10", "10.0.2.3", null),
                new PairFilter(null, null, null, "AAAA"));
        for (Store member : members) {
            for (PairFilter f : filters) {
                for (int limit : new int[] {1, 10, 100, 5000}) {
                    assertThat(member.queries().topDomains(f, limit))
                            .as("%s, limit %d", f, limit)
                            .isEqualTo(expectedDomains(pairs, f, limit));
                }
            }
        }
    }

    @Test
    void topDomainsByOutcomeCountOnlyNamedClients() {
        for (Store member : members) {
            for (PairFilter f : List.of(PairFilter.ALL, new PairFilter("r1", null, null))) {
                assertThat(member.queries().topDomainsByOutcome(f, "blocked", 25))
                        .isEqualTo(expectedDomains(outcomes, f.withQtype("blocked"), 25));
            }
        }
    }

    @Test
    void topClientsAreExactOnEveryMember() {
        List<PairFilter> filters = List.of(
                PairFilter.ALL,
                new PairFilter("r1", null, null),
                new PairFilter(null, null, "d7.example"),
                new PairFilter(null, null, "no.such.example"));
        for (Store member : members) {
            for (PairFilter f : filters) {
                for (int limit : new int[] {1, 10, 1000}) {
                    assertThat(member.queries().topClients(f, limit))
                            .as("%s, limit %d", f, limit)
                            .isEqualTo(expectedClients(f, limit));
                }
            }
        }
    }

    @Test
    void overviewAndTotalsAreExactOnEveryMember() {
        long queries = pairs.values().stream().mapToLong(Long::longValue).sum();
        Set<List<String>> clients = new HashSet<>();
        pairs.keySet().forEach(k -> clients.add(List.of(k.router(), k.client())));
        PairQueries.Totals totals = new PairQueries.Totals(queries, pairs.size(), clients.size());
        for (Store member : members) {
            assertThat(member.queries().totals()).isEqualTo(totals);
            assertThat(member.queries().overview(12))
                    .isEqualTo(new PairQueries.Overview(
                            totals, expectedDomains(pairs, PairFilter.ALL, 12), expectedClients(PairFilter.ALL, 12)));
        }
    }

    /** The filter's meaning, written out here as the oracle. */
    private static boolean matches(PairFilter f, PairKey k) {
        return (f.router() == null || f.router().equals(k.router()))
                && (f.client() == null || f.client().equals(k.client()))
                && (f.domain() == null || f.domain().equals(k.domain()))
                && (f.qtype() == null || f.qtype().equals(k.qtype()));
    }

    private static List<PairQueries.DomainCount> expectedDomains(Map<PairKey, Long> from, PairFilter f, int limit) {
        Map<String, Long> queries = new HashMap<>();
        Map<String, Set<List<String>>> clients = new HashMap<>();
        from.forEach((k, v) -> {
            if (matches(f, k)) {
                queries.merge(k.domain(), v, Long::sum);
                Set<List<String>> c = clients.computeIfAbsent(k.domain(), x -> new HashSet<>());
                if (!k.client().isEmpty()) {
                    c.add(List.of(k.router(), k.client()));
                }
            }
        });
        List<PairQueries.DomainCount> all = new ArrayList<>();
        queries.forEach((d, n) -> all.add(new PairQueries.DomainCount(
                d, n, clients.getOrDefault(d, Set.of()).size())));
        return top(
                all,
                Comparator.comparingLong(PairQueries.DomainCount::queries)
                        .reversed()
                        .thenComparing(PairQueries.DomainCount::domain),
                limit);
    }

    private List<PairQueries.ClientCount> expectedClients(PairFilter f, int limit) {
        Map<List<String>, Long> queries = new HashMap<>();
        Map<List<String>, Set<String>> domains = new HashMap<>();
        pairs.forEach((k, v) -> {
            if (matches(f, k)) {
                List<String> c = List.of(k.router(), k.client());
                queries.merge(c, v, Long::sum);
                domains.computeIfAbsent(c, x -> new HashSet<>()).add(k.domain());
            }
        });
        List<PairQueries.ClientCount> all = new ArrayList<>();
        queries.forEach((c, n) -> all.add(new PairQueries.ClientCount(
                c.get(0), c.get(1), n, domains.getOrDefault(c, Set.of()).size())));
        return top(
                all,
                Comparator.comparingLong(PairQueries.ClientCount::queries)
                        .reversed()
                        .thenComparing(PairQueries.ClientCount::router)
                        .thenComparing(PairQueries.ClientCount::client),
                limit);
    }

    private static <T> List<T> top(List<T> all, Comparator<T> order, int limit) {
        all.sort(order);
        return all.subList(0, Math.min(limit, all.size()));
    }
}
