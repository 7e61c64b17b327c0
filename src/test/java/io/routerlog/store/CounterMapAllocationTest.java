package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What updating known counters allocates on Hazelcast's partition threads, per updated entry, on a real member.
 * With an entry listener on the map (as evictions were once counted), every update published an event: about
 * 300 bytes per entry; without one, what is left is Hazelcast's own per-entry work and the entry processor's.
 */
class CounterMapAllocationTest {
    private static final long TIMEOUT = 30_000;
    private static final int PAIRS = 20_000;

    private static PairKey pair(int i) {
        return new PairKey("r1", "10.3." + (i / 250 % 250) + "." + (i % 250), "a" + i + ".alloc.test", "A");
    }

    @Test
    void updatingKnownCountersPublishesNoEvents() {
        try (Store store = Store.start(StoreSettings.singleNode(271_000, 1000, Duration.ofHours(1)))) {
            ThreadAllocations partitionThreads = null;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 12; round++) {
                Map<PairKey, Long> batch = new HashMap<>();
                for (int i = 0; i < PAIRS; i++) {
                    batch.put(pair(i), 1L);
                }
                if (partitionThreads == null && round > 0) {
                    partitionThreads = ThreadAllocations.partitionThreads(store, false);
                    assertThat(partitionThreads.threads()).isPositive();
                }
                long before = partitionThreads == null ? 0 : partitionThreads.allocated();
                store.pairs().add(batch, TIMEOUT);
                if (partitionThreads != null && round >= 4) {
                    best = Math.min(best, partitionThreads.allocated() - before);
                }
            }
            assertThat(store.pairs().get(pair(7))).isEqualTo(12);
            long perEntry = best / PAIRS;
            System.out.println("partition threads: " + perEntry + " bytes per updated entry");
            assertThat(perEntry).isLessThan(100);
        }
    }
}
