package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.ClientSeen;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** First and last sightings of clients, written by the flusher into a real single-member store. */
class ClientSeenPartTest {
    @Test
    void eachFlushThatCarriesAClientsQueriesWidensItsSpan() {
        AtomicLong clock = new AtomicLong(1_000_000);
        try (Store store = Store.start(StoreSettings.singleNode(2710, 1000, Duration.ofHours(1)))) {
            Flusher flusher = new Flusher(store, new PipelineCounters(), Duration.ofHours(1), 4096, clock::get);
            LocalAggregator a = flusher.newAggregator();
            a.query(FlusherTest.query("10.1.0.1", "a.seen.test", "A"));
            flusher.flushNow();
            assertThat(store.seen().get("", "10.1.0.1")).isEqualTo(new ClientSeen(1_000_000, 1_000_000));

            clock.set(2_000_000);
            a.query(FlusherTest.query("10.1.0.2", "a.seen.test", "A"));
            flusher.flushNow();
            // 10.1.0.1 asked nothing in this flush: its span stays
            assertThat(store.seen().get("", "10.1.0.1")).isEqualTo(new ClientSeen(1_000_000, 1_000_000));
            assertThat(store.seen().get("", "10.1.0.2")).isEqualTo(new ClientSeen(2_000_000, 2_000_000));

            clock.set(3_000_000);
            a.query(FlusherTest.query("10.1.0.1", "b.seen.test", "AAAA"));
            flusher.flushNow();
            assertThat(store.seen().get("", "10.1.0.1")).isEqualTo(new ClientSeen(1_000_000, 3_000_000));
            flusher.close();
            assertThat(store.pairs().size()).isEqualTo(3);
        }
    }
}
