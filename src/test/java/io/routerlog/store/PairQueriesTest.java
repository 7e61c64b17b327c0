package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query API's aggregations on a real (single) member, against counts written through the counter map. */
class PairQueriesTest {
    private static final long TIMEOUT = 30_000;
    private static Store store;

    @BeforeAll
    static void fill() {
        store = Store.start(StoreSettings.singleNode(27_100, 1000, Duration.ofHours(1)));
        Map<PairKey, Long> counts = new HashMap<>();
        counts.put(new PairKey("r1", "10.0.0.1", "github.com", "A"), 5L);
        counts.put(new PairKey("r1", "10.0.0.1", "github.com", "AAAA"), 3L);
        counts.put(new PairKey("r1", "10.0.0.2", "github.com", "A"), 1L);
        counts.put(new PairKey("r1", "10.0.0.1", "example.org", "A"), 2L);
        counts.put(new PairKey("r1", "10.0.0.2", "example.org", "HTTPS"), 7L);
        counts.put(new PairKey("r1", "10.0.0.3", "b.example", "A"), 2L);
        counts.put(new PairKey("r1", "10.0.0.3", "a.example", "A"), 2L);
        // many more domains than any limit, with one query each
        for (int i = 0; i < 2000; i++) {
            counts.put(new PairKey("r1", "10.0.0.4", "n" + i + ".example", "A"), 1L);
        }
        // the same address under another router is another client
        counts.put(new PairKey("r2", "10.0.0.1", "github.com", "A"), 4L);
        store.pairs().add(new HashMap<>(counts), TIMEOUT);
        // a second flush of the same member adds to the same counters
        store.pairs().add(new HashMap<>(Map.of(new PairKey("r1", "10.0.0.1", "github.com", "A"), 1L)), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void topDomainsSumQueriesAndCountDistinctClientsMostFirstThenByName() {
        List<PairQueries.DomainCount> top = store.queries().topDomains(PairFilter.ALL, 4);
        assertThat(top)
                .containsExactly(
                        new PairQueries.DomainCount("github.com", 14, 3),
                        new PairQueries.DomainCount("example.org", 9, 2),
                        new PairQueries.DomainCount("a.example", 2, 1),
                        new PairQueries.DomainCount("b.example", 2, 1));
    }

    @Test
    void topDomainsOfOneClient() {
        assertThat(store.queries().topDomains(new PairFilter(null, "10.0.0.2", null), 10))
                .containsExactly(
                        new PairQueries.DomainCount("example.org", 7, 1),
                        new PairQueries.DomainCount("github.com", 1, 1));
        assertThat(store.queries().topDomains(new PairFilter(null, "10.9.9.9", null), 10))
                .isEmpty();
    }

    @Test
    void topClientsSumQueriesAndCountDistinctDomains() {
        assertThat(store.queries().topClients(PairFilter.ALL, 3))
                .containsExactly(
                        new PairQueries.ClientCount("r1", "10.0.0.4", 2000, 2000),
                        new PairQueries.ClientCount("r1", "10.0.0.1", 11, 2),
                        new PairQueries.ClientCount("r1", "10.0.0.2", 8, 2));
        assertThat(store.queries().topClients(new PairFilter(null, null, "github.com"), 10))
                .containsExactly(
                        new PairQueries.ClientCount("r1", "10.0.0.1", 9, 1),
                        new PairQueries.ClientCount("r2", "10.0.0.1", 4, 1),
                        new PairQueries.ClientCount("r1", "10.0.0.2", 1, 1));
    }

    @Test
    void oneClientHasItsTotalItsTopDomainsAndItsQueryTypes() {
        List<PairQueries.ClientDetail> found = store.queries().client(null, "10.0.0.1", 1);
        assertThat(found).extracting(PairQueries.ClientDetail::router).containsExactly("r1", "r2");
        assertThat(found.get(1).queries()).isEqualTo(4);
        assertThat(store.queries().client("r2", "10.0.0.1", 1))
                .extracting(PairQueries.ClientDetail::router)
                .containsExactly("r2");
        PairQueries.ClientDetail d = found.get(0);
        assertThat(d.router()).isEqualTo("r1");
        assertThat(d.client()).isEqualTo("10.0.0.1");
        assertThat(d.queries()).isEqualTo(11);
        assertThat(d.domainCount()).isEqualTo(2);
        assertThat(d.domains()).containsExactly(new PairQueries.NameCount("github.com", 9));
        assertThat(d.qtypes()).containsExactly(Map.entry("A", 8L), Map.entry("AAAA", 3L));
        assertThat(store.queries().client(null, "10.9.9.9", 10)).isEmpty();
    }

    @Test
    void aRouterFilterMatchesTheRouterOfEachPair() {
        assertThat(store.queries().topClients(new PairFilter("r3", null, null), 10))
                .isEmpty();
        assertThat(store.queries().topClients(new PairFilter("r2", null, null), 10))
                .containsExactly(new PairQueries.ClientCount("r2", "10.0.0.1", 4, 1));
        assertThat(store.queries().topDomains(new PairFilter("r2", "10.0.0.1", null), 10))
                .containsExactly(new PairQueries.DomainCount("github.com", 4, 1));
        assertThat(store.queries().topClients(new PairFilter("r1", null, "b.example"), 10))
                .containsExactly(new PairQueries.ClientCount("r1", "10.0.0.3", 2, 1));
    }

    @Test
    void totalsAreTheSumOfEveryPair() {
        assertThat(store.queries().totals())
                .isEqualTo(new PairQueries.Totals(5 + 3 + 1 + 2 + 7 + 2 + 2 + 2000 + 1 + 4, 2008, 5));
        long[] sum = {0};
        store.pairs().forEachAll((k, v) -> sum[0] += v);
        assertThat(store.queries().totals().queries()).isEqualTo(sum[0]);
    }

    @Test
    void seenSpansWidenAndARepeatChangesNothing() {
        SeenMap seen = store.seen();
        seen.widen(new HashMap<>(Map.of(new ClientKey("r1", "10.0.0.1"), new ClientSeen(2000, 3000))), TIMEOUT);
        seen.widen(new HashMap<>(Map.of(new ClientKey("r1", "10.0.0.1"), new ClientSeen(1000, 1000))), TIMEOUT);
        seen.widen(new HashMap<>(Map.of(new ClientKey("r1", "10.0.0.1"), new ClientSeen(1000, 1000))), TIMEOUT);
        assertThat(seen.get("r1", "10.0.0.1")).isEqualTo(new ClientSeen(1000, 3000));
        assertThat(seen.get("r2", "10.0.0.1")).isNull();
        assertThat(Set.of(seen.size())).containsExactly(1);
    }
}
