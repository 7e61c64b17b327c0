package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store on a real (single) Hazelcast member. */
class StoreTest {
    private static final long TIMEOUT = 30_000;

    private static Store start(int maxPairs, Duration retention) {
        return Store.start(StoreSettings.singleNode(maxPairs, 1000, retention));
    }

    private static PairKey pair(int i) {
        return new PairKey("r1", "10.0." + (i / 250 % 250) + "." + (i % 250), "host" + i + ".example.test", "A");
    }

    private static Map<PairKey, Long> owned(PairMap map) {
        Map<PairKey, Long> m = new HashMap<>();
        map.forEachOwned(m::put);
        return m;
    }

    /**
     * A flush of keys the writer has written before serializes none of them again and makes no map node or boxed
     * count per key, and calls each partition directly: what the writing thread allocates is per partition, not per
     * key (about 8 bytes per key here).
     */
    @Test
    void writingTheSameKeysAgainAllocatesLittlePerKeyOnTheWritingThread() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int n = 20_000;
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(PairBytes.of(pair(i)));
        }
        try (Store store = start(100_000, Duration.ofHours(1))) {
            long first = 0;
            long last = 0;
            PairDeltas batch = new PairDeltas();
            for (int round = 1; round <= 6; round++) {
                for (byte[] k : keys) {
                    batch.add(k, 0, k.length, PairBytes.hash(k, 0, k.length), 1L);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                store.pairs().add(batch, TIMEOUT);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(batch.pending()).isZero();
                assertThat(batch.size()).as("confirmed keys are dropped").isZero();
                if (round == 1) {
                    first = allocated;
                }
                last = allocated;
            }
            // about 420 bytes per key at every write when each write serialized every key and mapped it with a node
            assertThat(first / n).as("bytes per key, first write").isGreaterThan(last / n);
            assertThat(last / n)
                    .as("bytes per key, sixth write of the same keys")
                    .isLessThan(8);
            assertThat(store.pairs().get(pair(7))).isEqualTo(6);
            assertThat(store.pairs().size()).isEqualTo(n);
        }
    }

    @Test
    void addKeepingKeysLeavesConfirmedKeysAtZeroAndWritesOnlyWhatIsNew() {
        try (Store store = start(10_000, Duration.ofHours(1))) {
            Map<PairKey, Long> pending = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                pending.put(pair(i), 2L);
            }
            store.pairs().addKeepingKeys(pending, TIMEOUT);
            assertThat(pending).hasSize(300).allSatisfy((k, c) -> assertThat(c).isZero());
            // the next flush: some keys again, one new; the ones at 0 are not written again
            pending.merge(pair(1), 5L, Long::sum);
            pending.merge(pair(400), 7L, Long::sum);
            store.pairs().addKeepingKeys(pending, TIMEOUT);
            assertThat(pending).hasSize(301).allSatisfy((k, c) -> assertThat(c).isZero());
            assertThat(store.pairs().get(pair(0))).isEqualTo(2);
            assertThat(store.pairs().get(pair(1))).isEqualTo(7);
            assertThat(store.pairs().get(pair(400))).isEqualTo(7);
            assertThat(store.pairs().size()).isEqualTo(301);
        }
    }

    @Test
    void boundHoldsWhenTenTimesMaxPairsAreOffered() throws Exception {
        try (Store store = start(2710, Duration.ofHours(1))) {
            assertThat(store.pairCapacity()).isEqualTo(2710);
            int offered = 27_100;
            for (int start = 0; start < offered; start += 1000) {
                Map<PairKey, Long> batch = new HashMap<>();
                for (int i = start; i < Math.min(offered, start + 1000); i++) {
                    batch.put(pair(i), 1L);
                }
                store.pairs().add(batch, TIMEOUT);
                assertThat(store.pairs().size()).isLessThanOrEqualTo(2710);
            }
            int size = store.pairs().size();
            assertThat(size).isLessThanOrEqualTo(2710).isGreaterThanOrEqualTo(2700);
            assertThat(owned(store.pairs())).hasSize(size);
            assertThat(store.pairs().ownedSize()).isEqualTo(size);
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(50),
                    () -> store.pairs().evicted() >= offered - size);
            assertThat(store.pairs().evicted()).isEqualTo(offered - size);
        }
    }

    /** The pairs of every part, each listed once over all of them. */
    static Map<PairKey, Long> unpack(Iterable<PackedCounters> parts) {
        Map<PairKey, Long> m = new HashMap<>();
        for (PackedCounters part : parts) {
            unpack(part)
                    .forEach((k, v) -> assertThat(m.put(k, v)).as("listed once").isNull());
        }
        return m;
    }

    static Map<PairKey, Long> unpack(PackedCounters p) {
        Map<PairKey, Long> m = new HashMap<>();
        PackedCounters.Cursor c = p.cursor();
        while (c.next()) {
            assertThat(c.labels()).isEqualTo(4);
            assertThat(m.put(new PairKey(c.label(0), c.label(1), c.label(2), c.label(3)), c.value()))
                    .as("listed once")
                    .isNull();
        }
        assertThat(m).hasSize(p.entries());
        return m;
    }

    @Test
    void packedReadsGiveEveryEntryWithItsTotal() {
        try (Store store = start(271_000, Duration.ofHours(1))) { // room for all: no eviction
            Map<PairKey, Long> expected = new HashMap<>();
            for (int round = 1; round <= 3; round++) {
                Map<PairKey, Long> batch = new HashMap<>();
                for (int i = 0; i < 20_000; i += round) {
                    batch.put(pair(i), (long) round);
                    expected.merge(pair(i), (long) round, Long::sum);
                }
                store.pairs().add(batch, TIMEOUT);
            }
            // in parts of a few shards each: every pair once
            assertThat(unpack(store.pairs().packOwnedParts()))
                    .isEqualTo(expected)
                    .isEqualTo(owned(store.pairs()));
            assertThat(unpack(store.pairs().packAllParts())).isEqualTo(expected);
            List<PackedCounters> parts = new ArrayList<>();
            store.pairs().packOwnedParts().forEach(parts::add);
            assertThat(parts).hasSize(PairMap.SHARDS / PairMap.SHARDS_PER_PART);
            assertThat(parts).allSatisfy(part -> assertThat(part.entries()).isLessThan(expected.size() / 4));
        }
        try (Store empty = start(2710, Duration.ofHours(1))) {
            assertThat(unpack(empty.pairs().packOwnedParts())).isEmpty();
            assertThat(unpack(empty.pairs().packAllParts())).isEmpty();
        }
    }

    @Test
    void maxPairsThatIsNotAMultipleOfTheShardCountIsKeptExactly() {
        try (Store store = start(1000, Duration.ofHours(1))) {
            assertThat(store.pairCapacity()).isEqualTo(1000);
            Map<PairKey, Long> batch = new HashMap<>();
            for (int i = 0; i < 10_000; i++) {
                batch.put(pair(i), 1L);
            }
            store.pairs().add(batch, TIMEOUT);
            // each shard full: the bound is reached, not just kept
            assertThat(store.pairs().size()).isEqualTo(1000);
        }
    }

    @Test
    void countsAreExactBelowTheBound() {
        try (Store store = start(271_000, Duration.ofHours(1))) { // room for all: no eviction
            Map<PairKey, Long> expected = new HashMap<>();
            for (int round = 0; round < 5; round++) {
                Map<PairKey, Long> batch = new HashMap<>();
                for (int i = 0; i < 3000; i++) {
                    long delta = (i * 7L + round) % 13 + 1;
                    batch.put(pair(i), delta);
                    expected.merge(pair(i), delta, Long::sum);
                }
                store.pairs().add(batch, TIMEOUT);
                assertThat(batch)
                        .as("every partition confirmed, nothing left to retry")
                        .isEmpty();
            }
            assertThat(owned(store.pairs())).isEqualTo(expected);
            assertThat(store.pairs().get(pair(42))).isEqualTo(expected.get(pair(42)));
            assertThat(store.pairs().evicted()).isZero();
        }
    }

    @Test
    void leastRecentlyUpdatedPairsAreEvictedFirst() {
        try (Store store = start(27_100, Duration.ofHours(1))) {
            List<PairKey> hot = new ArrayList<>();
            for (int i = 0; i < 271; i++) {
                hot.add(new PairKey("r1", "192.168.1." + (i % 250), "hot" + i + ".test", "AAAA"));
            }
            int next = 0;
            for (int round = 0; round < 25; round++) {
                Map<PairKey, Long> touch = new HashMap<>();
                hot.forEach(k -> touch.put(k, 1L));
                store.pairs().add(touch, TIMEOUT);
                // reading does not count as use: scrape everything between the writes
                assertThat(owned(store.pairs())).containsKeys(hot.toArray(PairKey[]::new));
                Map<PairKey, Long> flood = new HashMap<>();
                for (int i = 0; i < 2710; i++) {
                    flood.put(pair(next++), 1L);
                }
                store.pairs().add(flood, TIMEOUT);
            }
            Map<PairKey, Long> left = owned(store.pairs());
            for (PairKey k : hot) {
                assertThat(left).containsEntry(k, 25L);
            }
            assertThat(left.size()).isLessThanOrEqualTo(27_100);
            assertThat(store.pairs().evicted()).isPositive();
            // the oldest flood entries are the ones that went
            assertThat(left).doesNotContainKey(pair(0));
        }
    }

    @Test
    void pairsNotUpdatedWithinTheRetentionExpireEvenWhileBeingRead() throws Exception {
        try (Store store = start(2710, Duration.ofSeconds(2))) {
            PairKey kept = new PairKey("r1", "10.1.1.1", "kept.test", "A");
            PairKey idle = new PairKey("r1", "10.1.1.2", "idle.test", "A");
            Map<PairKey, Long> first = new HashMap<>(Map.of(kept, 1L, idle, 1L));
            store.pairs().add(first, TIMEOUT);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4500);
            int updates = 1;
            while (System.nanoTime() < end) {
                Thread.sleep(300);
                store.pairs().add(new HashMap<>(Map.of(kept, 1L)), TIMEOUT);
                updates++;
                owned(store.pairs());
            }
            assertThat(store.pairs().get(kept)).isEqualTo(updates);
            assertThat(store.pairs().get(idle)).isZero();
            assertThat(owned(store.pairs())).containsOnlyKeys(kept);
            assertThat(store.pairs().expired()).as("the idle pair, once").isEqualTo(1);
            assertThat(store.pairs().evicted()).isZero();
        }
    }

    @Test
    void identitiesFollowTheLatestLeaseAndReleasesOnlyTheirOwnMac() {
        try (Store store = start(2710, Duration.ofHours(1))) {
            IdentityMap ids = store.identities();
            ids.update(
                    Map.of(
                            new ClientKey("r1", "192.168.1.10"),
                                    UpdateIdentity.set(new DhcpIdentity("aa:aa:aa:aa:aa:01", "laptop", 1000), 0),
                            new ClientKey("r1", "192.168.1.11"),
                                    UpdateIdentity.set(new DhcpIdentity("aa:aa:aa:aa:aa:02", "", 1000), 0)),
                    TIMEOUT);
            assertThat(ids.get("r1", "192.168.1.10")).isEqualTo(new DhcpIdentity("aa:aa:aa:aa:aa:01", "laptop", 1000));
            // an older update does not undo a newer one
            ids.update(
                    Map.of(
                            new ClientKey("r1", "192.168.1.10"),
                            UpdateIdentity.set(new DhcpIdentity("bb:bb:bb:bb:bb:bb", "old", 900), 0)),
                    TIMEOUT);
            assertThat(Objects.requireNonNull(ids.get("r1", "192.168.1.10")).hostname())
                    .isEqualTo("laptop");
            // a release by another MAC leaves the address alone; by its own MAC removes it
            ids.update(
                    Map.of(new ClientKey("r1", "192.168.1.10"), UpdateIdentity.release("cc:cc:cc:cc:cc:cc", 2000)),
                    TIMEOUT);
            assertThat(ids.get("r1", "192.168.1.10")).isNotNull();
            ids.update(
                    Map.of(new ClientKey("r1", "192.168.1.10"), UpdateIdentity.release("aa:aa:aa:aa:aa:01", 2000)),
                    TIMEOUT);
            assertThat(ids.get("r1", "192.168.1.10")).isNull();
            Set<String> all = new HashSet<>();
            ids.forEach((key, id) -> all.add(key.client() + " " + id.mac() + " " + id.hostname()));
            assertThat(all).containsExactly("192.168.1.11 aa:aa:aa:aa:aa:02 ");
        }
    }

    @Test
    void identityWithALeaseEndExpiresThen() throws Exception {
        try (Store store = start(2710, Duration.ofHours(1))) {
            store.identities()
                    .update(
                            Map.of(
                                    new ClientKey("r1", "10.0.0.5"),
                                            UpdateIdentity.set(new DhcpIdentity("aa:bb:cc:dd:ee:05", "tv", 1), 1000),
                                    new ClientKey("r1", "10.0.0.6"),
                                            UpdateIdentity.set(new DhcpIdentity("aa:bb:cc:dd:ee:06", "nas", 1), 0)),
                            TIMEOUT);
            Thread.sleep(2500);
            assertThat(store.identities().get("r1", "10.0.0.5")).isNull();
            assertThat(store.identities().get("r1", "10.0.0.6")).isNotNull();
        }
    }

    @Test
    void theMembersThreadsHaveTheLowestPriorityAndTheCallersKeepsItsOwn() {
        int own = Thread.currentThread().getPriority();
        StoreSettings settings = StoreSettings.singleNode(2710, 1000, Duration.ofHours(1));
        try (Store store = Store.start(settings)) {
            List<Thread> partitionThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().contains("partition-operation"))
                    .toList();
            assertThat(store.pairCapacity()).isEqualTo(2710);
            assertThat(partitionThreads).isNotEmpty();
            assertThat(partitionThreads).allMatch(t -> t.getPriority() == Thread.MIN_PRIORITY, "lowest priority");
            assertThat(Thread.currentThread().getPriority()).isEqualTo(own);
        }
    }

    @Test
    void aFailedStartIsTheCallersFailure() {
        assertThatThrownBy(() -> Store.inBackground(() -> {
                    throw new IllegalStateException("no member");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no member");
    }
}
