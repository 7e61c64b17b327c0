package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.StoreCluster;
import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The query API's aggregations answer exactly while partitions migrate: a member joins and another leaves while the
 * answers are asked for again and again, and every answer counts each pair once.
 */
class PairQueriesMigrationTest {
    private static final long TIMEOUT = 30_000;

    @Test
    void answersStayExactWhileMembersJoinAndLeave() throws Exception {
        List<StoreSettings> settings = StoreCluster.settings(
                3,
                "migration",
                cluster -> new StoreSettings(271_000, 1000, 1000, Duration.ofHours(1), 1, cluster, 10_000, 0));
        Store first = Store.start(settings.get(0));
        Store second = Store.start(settings.get(1));
        List<Store> all = new ArrayList<>(List.of(first, second));
        try {
            Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(100), () -> first.clusterSize() == 2);
            Map<PairKey, Long> counts = new HashMap<>();
            long total = 0;
            for (int i = 0; i < 20_000; i++) {
                long n = 1L + i % 7;
                counts.put(new PairKey("r" + i % 2, "10.0." + i % 50 + ".1", "d" + i + ".example", "A"), n);
                total += n;
            }
            first.pairs().add(new HashMap<>(counts), TIMEOUT);
            PairQueries.Totals expected = new PairQueries.Totals(total, 20_000, 50);
            assertThat(first.queries().totals()).isEqualTo(expected);

            AtomicBoolean moving = new AtomicBoolean(true);
            CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
                Store third = Store.start(settings.get(2));
                synchronized (all) {
                    all.add(third);
                }
                Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(100), () -> third.clusterSize() == 3);
                second.close(); // its partitions move to the others, from their backups
                Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(100), () -> third.clusterSize() == 2);
                moving.set(false);
            });
            int asked = 0;
            int whileMoving = 0;
            while (moving.get() || asked < 5) {
                boolean before = moving.get();
                assertThat(first.queries().totals()).as("answer %d", asked).isEqualTo(expected);
                assertThat(first.queries().topDomains(PairFilter.ALL, 1).get(0).queries())
                        .isEqualTo(7);
                if (before && moving.get()) {
                    whileMoving++;
                }
                asked++;
            }
            churn.get();
            assertThat(whileMoving)
                    .as("answers asked for while members joined and left")
                    .isPositive();
        } finally {
            synchronized (all) {
                all.forEach(Store::close);
            }
        }
    }
}
