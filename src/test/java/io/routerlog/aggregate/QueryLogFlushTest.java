package io.routerlog.aggregate;

import static io.routerlog.aggregate.FlusherTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.LoggedQuery;
import io.routerlog.store.QueryLogFilter;
import io.routerlog.store.QueryLogPage;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queries from the receive threads' aggregators into the query log of a real single-member store. */
class QueryLogFlushTest {
    private static Store start(int queryLogSize) {
        return Store.start(
                StoreSettings.singleNode(2710, 1000, Duration.ofHours(1)).withQueryLogSize(queryLogSize));
    }

    private static Flusher flusher(Store store) {
        return new Flusher(store, new PipelineCounters(), Duration.ofHours(1), 4096, System::currentTimeMillis);
    }

    private static List<LoggedQuery> everything(Store store) {
        QueryLogPage page = store.queryLog().search(QueryLogFilter.ALL, null, null, 10_000);
        assertThat(page.next()).isNull();
        return page.items();
    }

    @Test
    void queriesOfSeveralThreadsAreLoggedInTimeOrderWithTheirTimes() throws Exception {
        try (Store store = start(500)) {
            Flusher flusher = flusher(store);
            LocalAggregator a = flusher.newAggregator();
            LocalAggregator b = flusher.newAggregator();
            List<String> sent = new ArrayList<>();
            long from = System.currentTimeMillis();
            for (int i = 0; i < 300; i++) {
                LocalAggregator to = i % 3 == 0 ? b : a;
                to.query(query("10.1.0." + (i % 9), "n" + i + ".log.test", i % 2 == 0 ? "A" : "AAAA"));
                sent.add("n" + i + ".log.test");
                if (i % 50 == 0) {
                    Thread.sleep(2);
                }
            }
            long to = System.currentTimeMillis();
            flusher.flushNow();
            List<LoggedQuery> logged = everything(store);
            assertThat(logged).extracting(LoggedQuery::domain).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(logged)
                    .isSortedAccordingTo(
                            Comparator.comparingLong(LoggedQuery::timeMillis).reversed())
                    .allSatisfy(q -> {
                        assertThat(q.timeMillis()).isBetween(from, to);
                        assertThat(q.router()).isEmpty();
                    });
            // within one millisecond the order is the log's, not necessarily the order sent
            assertThat(time(logged, "n0.log.test"))
                    .isEqualTo(logged.get(logged.size() - 1).timeMillis());
            assertThat(time(logged, "n299.log.test")).isEqualTo(logged.get(0).timeMillis());
            assertThat(time(logged, "n51.log.test")).isGreaterThan(time(logged, "n50.log.test"));
            assertThat(logged)
                    .filteredOn(q -> q.domain().equals("n7.log.test"))
                    .singleElement()
                    .satisfies(q -> {
                        assertThat(q.client()).isEqualTo("10.1.0.7");
                        assertThat(q.qtype()).isEqualTo("AAAA");
                    });
            flusher.close();
        }
    }

    private static long time(List<LoggedQuery> logged, String domain) {
        return logged.stream()
                .filter(q -> q.domain().equals(domain))
                .findFirst()
                .orElseThrow()
                .timeMillis();
    }

    @Test
    void moreThanTheSizeInOneFlushKeepsTheNewestAndCountsTheRest() {
        try (Store store = start(500)) {
            Flusher flusher = flusher(store);
            LocalAggregator a = flusher.newAggregator();
            LocalAggregator b = flusher.newAggregator();
            for (int i = 0; i < 1200; i++) {
                a.query(query("10.2.0.1", "a" + i + ".log.test", "A"));
            }
            for (int i = 0; i < 100; i++) {
                b.query(query("10.2.0.2", "b" + i + ".log.test", "A"));
            }
            flusher.flushNow();
            List<LoggedQuery> logged = everything(store);
            assertThat(logged).hasSize(500);
            // a's newest 500 were taken before any of b's: b's 100 and a's newest 400 remain
            assertThat(logged.stream().filter(q -> q.client().equals("10.2.0.2")))
                    .hasSize(100);
            assertThat(logged)
                    .filteredOn(q -> q.client().equals("10.2.0.1"))
                    .extracting(LoggedQuery::domain)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(800, 1200)
                            .mapToObj(i -> "a" + i + ".log.test")
                            .toList());
            assertThat(flusher.stats().queryLogSkipped()).isEqualTo(800);
            assertThat(store.queryLog().size()).isEqualTo(500);
            flusher.close();
        }
    }

    @Test
    void sizeZeroKeepsNoQueryLog() {
        try (Store store = start(0)) {
            Flusher flusher = flusher(store);
            LocalAggregator a = flusher.newAggregator();
            for (int i = 0; i < 100; i++) {
                a.query(query("10.3.0.1", "z" + i + ".log.test", "A"));
            }
            flusher.flushNow();
            assertThat(store.pairs().size()).as("counted as always").isEqualTo(100);
            assertThat(store.queryLog().enabled()).isFalse();
            assertThat(everything(store)).isEmpty();
            assertThat(store.queryLog().size()).isZero();
            assertThat(flusher.stats().queryLogSkipped()).isZero();
            flusher.close();
        }
    }
}
