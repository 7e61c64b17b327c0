package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DnsQuery;
import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A receive thread's pair counts: drained exactly by stored key, keys kept while they are counted. */
class PairCountsTest {
    private static final byte[] ROUTER = "gw".getBytes(StandardCharsets.US_ASCII);

    private static DnsQuery query(String client, String domain) {
        return FlusherTest.query(client, domain, "A").router(ROUTER, 0, ROUTER.length);
    }

    static Map<PairKey, Long> drain(PairCounts counts) {
        return drain(counts, new HashMap<>());
    }

    /** The query counts by key; the outcomes counted with them go into {@code outcomes}. */
    static Map<PairKey, Long> drain(PairCounts counts, Map<PairKey, Long> outcomes) {
        Map<PairKey, Long> out = new HashMap<>();
        counts.drainTo(
                (b, off, len, hash, n) -> {
                    assertThat(hash).isEqualTo(PairBytes.hash(b, off, len));
                    out.merge(PairBytes.decode(b, off, len), n, Long::sum);
                },
                (b, off, len, hash, n) -> {
                    assertThat(hash).isEqualTo(PairBytes.hash(b, off, len));
                    outcomes.merge(PairBytes.decode(b, off, len), n, Long::sum);
                });
        return out;
    }

    @Test
    void drainsEachPairOnceByItsStoredKeyAndRefusesNewPairsWhenFull() {
        PairCounts counts = new PairCounts(3, 3);
        assertThat(counts.add(query("10.0.0.1", "a.example"))).isTrue();
        assertThat(counts.add(query("10.0.0.1", "a.example"))).isTrue();
        assertThat(counts.add(query("10.0.0.2", "a.example"))).isTrue();
        assertThat(counts.add(query("10.0.0.1", "b.example"))).isTrue();
        assertThat(counts.add(query("10.0.0.3", "c.example")))
                .as("a fourth pair")
                .isFalse();
        assertThat(counts.add(query("10.0.0.1", "b.example")))
                .as("a known pair still counts")
                .isTrue();
        assertThat(drain(counts))
                .containsOnly(
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "A"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.2", "a.example", "A"), 1L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "b.example", "A"), 2L));
        assertThat(drain(counts)).as("drained counts are zeroed").isEmpty();
    }

    @Test
    void aDrainKeepsTheKeysCountedMoreThanOnceAndForgetsTheOthers() {
        PairCounts counts = new PairCounts(100, 100);
        counts.add(query("10.0.0.1", "a.example"));
        counts.add(query("10.0.0.1", "b.example"));
        counts.add(query("10.0.0.1", "b.example"));
        counts.add(query("10.0.0.2", "b.example"));
        counts.add(query("10.0.0.2", "b.example"));
        assertThat(counts.added()).isEqualTo(3);
        assertThat(drain(counts)).hasSize(3);
        assertThat(counts.size())
                .as("the keys counted twice stay for the next interval")
                .isEqualTo(2);
        assertThat(counts.added()).isZero();

        counts.add(query("10.0.0.1", "b.example")); // kept: counted without being added again
        counts.add(query("10.0.0.1", "b.example"));
        counts.add(query("10.0.0.3", "c.example")); // new
        counts.add(query("10.0.0.3", "c.example"));
        counts.add(query("10.0.0.1", "a.example")); // forgotten: new again
        assertThat(counts.added()).isEqualTo(2);
        assertThat(drain(counts))
                .containsOnly(
                        Map.entry(new PairKey("gw", "10.0.0.1", "b.example", "A"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.3", "c.example", "A"), 2L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "a.example", "A"), 1L));
        assertThat(counts.size())
                .as("10.0.0.2 not counted since, a.example once")
                .isEqualTo(2);

        // the kept keys still count, in their new places
        counts.add(query("10.0.0.3", "c.example"));
        counts.add(query("10.0.0.3", "c.example"));
        counts.add(query("10.0.0.3", "c.example"));
        counts.add(query("10.0.0.1", "b.example"));
        assertThat(counts.added()).isZero();
        assertThat(drain(counts))
                .containsOnly(
                        Map.entry(new PairKey("gw", "10.0.0.3", "c.example", "A"), 3L),
                        Map.entry(new PairKey("gw", "10.0.0.1", "b.example", "A"), 1L));
        assertThat(counts.size()).isEqualTo(1);
        assertThat(drain(counts)).as("an interval without queries").isEmpty();
        assertThat(counts.size()).as("and every key forgotten after it").isZero();
    }

    @Test
    void keptKeysTakingMoreThanHalfTheTableAreForgottenSoThatNewPairsFit() {
        PairCounts counts = new PairCounts(100, 100);
        for (int i = 0; i < 50; i++) {
            counts.add(query("10.0.0.1", "n" + i + ".example"));
            counts.add(query("10.0.0.1", "n" + i + ".example"));
        }
        drain(counts);
        counts.recycle();
        assertThat(counts.size()).as("half the table is kept").isEqualTo(50);
        for (int i = 0; i < 20; i++) {
            counts.add(query("10.0.0.2", "n" + i + ".example"));
            counts.add(query("10.0.0.2", "n" + i + ".example"));
        }
        drain(counts);
        assertThat(counts.size()).as("the first 50 not counted since").isEqualTo(20);
        for (int i = 20; i < 51; i++) {
            counts.add(query("10.0.0.2", "n" + i + ".example"));
            counts.add(query("10.0.0.2", "n" + i + ".example"));
        }
        for (int i = 0; i < 20; i++) {
            counts.add(query("10.0.0.2", "n" + i + ".example"));
            counts.add(query("10.0.0.2", "n" + i + ".example"));
        }
        drain(counts);
        assertThat(counts.size()).isEqualTo(51);
        counts.recycle();
        assertThat(counts.size()).as("more than half: all forgotten").isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(counts.add(query("10.0.0.3", "n" + i + ".example"))).isTrue();
        }
    }

    @Test
    void manyNewKeysOrANearlyFullTableWantADrainAndAFloodsSingleNamesAreNotKept() {
        PairCounts counts = new PairCounts(1_000, 10);
        for (int i = 0; i < 9; i++) {
            counts.add(query("10.0.0.1", "flood" + i + ".example"));
        }
        counts.add(query("10.0.0.1", "flood0.example"));
        assertThat(counts.wantsDrain()).as("nine new keys").isFalse();
        counts.add(query("10.0.0.1", "flood9.example"));
        assertThat(counts.wantsDrain()).as("ten new keys").isTrue();
        assertThat(drain(counts)).hasSize(10);
        assertThat(counts.size()).as("only the key counted twice stays").isEqualTo(1);
        assertThat(counts.wantsDrain()).isFalse();

        // a working set that recurs is kept (up to half the table) and asks for no drain once it is known
        PairCounts set = new PairCounts(1_000, 10);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                set.add(query("10.0.0.2", "set" + i + ".example"));
                set.add(query("10.0.0.2", "set" + i + ".example"));
            }
            assertThat(set.wantsDrain()).as("round %d", round).isEqualTo(round == 0);
            assertThat(drain(set)).hasSize(500);
            set.recycle();
            assertThat(set.size()).isEqualTo(500);
        }

        PairCounts large = new PairCounts(1_000, 5_000);
        for (int i = 0; i < 899; i++) {
            large.add(query("10.0.0.3", "n" + i + ".example"));
        }
        assertThat(large.wantsDrain()).isFalse();
        large.add(query("10.0.0.3", "n899.example"));
        assertThat(large.wantsDrain()).as("900 of 1,000: nearly full").isTrue();
    }

    @Test
    void keysThatComeBackAfterADrainForgotThemAreNotNewWhileAFloodsAre() {
        RecentKeys recent = new RecentKeys(RecentKeys.SLOTS);
        // two tables taking turns, as a receive thread's two batches do, sharing what was seen lately
        PairCounts one = new PairCounts(100_000, 1_000, recent);
        PairCounts two = new PairCounts(100_000, 1_000, recent);
        // a working set of 20,000 pairs, each counted once an interval: every drain forgets all of them
        for (int round = 0; round < 6; round++) {
            PairCounts table = round % 2 == 0 ? one : two;
            for (int i = 0; i < 20_000; i++) {
                assertThat(table.add(query("10.1." + (i % 200) + ".1", "w" + i + ".example")))
                        .isTrue();
            }
            assertThat(table.wantsDrain())
                    .as("round %d: new only the first time", round)
                    .isEqualTo(round == 0);
            assertThat(drain(table)).hasSize(20_000);
            assertThat(table.size()).as("counted once: forgotten").isZero();
        }
        // names never seen before still ask for a drain after 1,000
        for (int i = 0; i < 999; i++) {
            one.add(query("10.1.0.1", "flood" + i + ".example"));
        }
        assertThat(one.wantsDrain()).isFalse();
        one.add(query("10.1.0.1", "flood999.example"));
        assertThat(one.wantsDrain()).isTrue();
    }

    @Test
    void aWorkingSetCountsExactlyAcrossDrainsWhileSomeOfItComesAndGoes() {
        PairCounts counts = new PairCounts(10_000, 10_000);
        Map<PairKey, Long> total = new HashMap<>();
        Map<PairKey, Long> drained = new HashMap<>();
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 3_000; i++) {
                // every name on some rounds only, so that keys are forgotten and added again in every drain
                if ((i + round) % (1 + i % 4) != 0) {
                    continue;
                }
                String domain = "w" + i + ".example" + ".y".repeat(i % 13);
                counts.add(query("10.1.0." + (i % 9), domain));
                total.merge(new PairKey("gw", "10.1.0." + (i % 9), domain, "A"), 1L, Long::sum);
            }
            drain(counts).forEach((k, n) -> drained.merge(k, n, Long::sum));
            counts.recycle();
            assertThat(counts.size()).isLessThanOrEqualTo(3_000);
        }
        assertThat(drained).isEqualTo(total);
    }

    @Test
    void countsEveryPairExactlyWhileTheTableGrowsAndAfterItIsCleared() {
        PairCounts counts = new PairCounts(100_000, 100_000);
        Map<PairKey, Long> expected = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 60_000; i++) {
                // names of many lengths, some long enough to take several words of the hash
                String domain = "n" + i + ".example" + ".x".repeat(i % 40);
                String client = "10.0." + (i % 7) + "." + (i % 251);
                int times = 2 + i % 3; // more than once: kept by the drain, forgotten by the recycling
                for (int t = 0; t < times; t++) {
                    assertThat(counts.add(query(client, domain))).isTrue();
                }
                expected.put(new PairKey("gw", client, domain, "A"), (long) times);
            }
            assertThat(drain(counts)).isEqualTo(expected);
            counts.recycle(); // more than half full: forgotten, and the arrays reused
            assertThat(counts.size()).isZero();
            assertThat(drain(counts)).isEmpty();
        }
    }

    @Test
    void aTableFilledAgainReusesItsPagesAndAKeyLongerThanAPageGetsOneOfItsOwn() {
        PairCounts counts = new PairCounts(100_000, 100_000);
        String huge = "h" + ".x".repeat(PairCounts.PAGE) + ".example"; // a key longer than a page
        Map<PairKey, Long> expected = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String domain = i == 7_000 ? huge : "p" + i + ".example";
            counts.add(query("10.2.0.1", domain));
            counts.add(query("10.2.0.1", domain));
            expected.put(new PairKey("gw", "10.2.0.1", domain, "A"), 2L);
        }
        int pages = counts.pagesMade();
        assertThat(pages).as("about 60 bytes an entry, and the long key's page").isBetween(17, 22);
        assertThat(drain(counts)).isEqualTo(expected);
        assertThat(counts.size()).as("all counted twice: kept").isEqualTo(20_000);

        // kept, then counted in their places; a drain that forgets some moves the rest down, over page ends
        Map<PairKey, Long> second = new HashMap<>();
        for (int i = 0; i < 20_000; i += 3) {
            String domain = i == 6_999 ? huge : "p" + i + ".example";
            counts.add(query("10.2.0.1", domain));
            counts.add(query("10.2.0.1", domain));
            second.put(new PairKey("gw", "10.2.0.1", domain, "A"), 2L);
        }
        assertThat(drain(counts)).isEqualTo(second);
        assertThat(counts.size()).isEqualTo(second.size());
        assertThat(counts.added()).as("the huge key was kept, not added again").isZero();

        // a table recycled after each drain fills the pages it made the first time
        PairCounts refilled = new PairCounts(30_000, 30_000);
        int made = 0;
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 20_000; i++) {
                refilled.add(query("10.2.0." + (2 + round), "p" + i + ".example"));
                refilled.add(query("10.2.0." + (2 + round), "p" + i + ".example"));
            }
            assertThat(drain(refilled)).hasSize(20_000);
            refilled.recycle(); // 20,000 kept of 30,000: forgotten
            assertThat(refilled.size()).isZero();
            if (round == 0) {
                made = refilled.pagesMade();
            }
            assertThat(refilled.pagesMade()).as("round %d", round).isEqualTo(made);
        }
    }

    @Test
    void countsExactlyWithKeysOfEveryLengthMovedOverPageEndsByManyDrains() {
        Random random = new Random(16);
        PairCounts counts = new PairCounts(5_000, 5_000);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            // mostly short names, some of kilobytes, a few longer than a page
            int extra =
                    i % 500 == 0 ? PairCounts.PAGE + random.nextInt(4_000) : i % 37 == 0 ? random.nextInt(9_000) : 0;
            names.add("k" + i + ".example" + "z".repeat(extra));
        }
        Map<PairKey, Long> total = new HashMap<>();
        Map<PairKey, Long> drained = new HashMap<>();
        Set<String> kept = new HashSet<>(); // the model of what the table holds after a drain
        for (int round = 0; round < 40; round++) {
            int lines = 500 + random.nextInt(6_000);
            Map<String, Integer> seen = new HashMap<>();
            for (int l = 0; l < lines; l++) {
                // a skewed choice, so that some keys recur and are kept while others come and go
                String domain = names.get((int) (names.size() * Math.pow(random.nextDouble(), 3)));
                if (counts.add(query("10.3.0.1", domain))) {
                    total.merge(new PairKey("gw", "10.3.0.1", domain, "A"), 1L, Long::sum);
                    seen.merge(domain, 1, Integer::sum);
                }
            }
            assertThat(counts.added())
                    .as("round %d: keys not kept by the drain before are new", round)
                    .isEqualTo(seen.keySet().stream()
                            .filter(d -> !kept.contains(d))
                            .count());
            drain(counts).forEach((k, n) -> drained.merge(k, n, Long::sum));
            kept.clear();
            seen.forEach((d, n) -> {
                if (n > 1) {
                    kept.add(d);
                }
            });
            assertThat(counts.size()).as("round %d: kept", round).isEqualTo(kept.size());
            if (round % 7 == 6) {
                counts.recycle();
                if (kept.size() > 5_000 / 2) {
                    kept.clear();
                }
            }
        }
        assertThat(drained).isEqualTo(total);
        assertThat(total.keySet().stream().filter(k -> k.domain().length() > PairCounts.PAGE))
                .as("keys longer than a page were counted")
                .isNotEmpty();
    }
}
