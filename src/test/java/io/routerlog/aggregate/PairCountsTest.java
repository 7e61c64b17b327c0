package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DnsQuery;
import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A receive thread's pair counts: drained exactly by stored key, keys kept a while and then forgotten. */
class PairCountsTest {
    private static final byte[] ROUTER = "gw".getBytes(StandardCharsets.US_ASCII);

    private static DnsQuery query(String client, String domain) {
        return FlusherTest.query(client, domain, "A").router(ROUTER, 0, ROUTER.length);
    }

    private static Map<PairKey, Long> drain(PairCounts counts) {
        Map<PairKey, Long> out = new HashMap<>();
        counts.drainTo((b, off, len, hash, n) -> {
            assertThat(hash).isEqualTo(PairBytes.hash(b, off, len));
            out.merge(PairBytes.decode(b, off, len), n, Long::sum);
        });
        return out;
    }

    @Test
    void drainsEachPairOnceByItsStoredKeyAndRefusesNewPairsWhenFull() {
        PairCounts counts = new PairCounts(3);
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
    void keysAreKeptBetweenFlushesForAtMostAMinute() {
        PairCounts counts = new PairCounts(100);
        counts.recycle(1_000); // the first call starts the clock
        counts.add(query("10.0.0.1", "a.example"));
        drain(counts);
        counts.recycle(30_000);
        assertThat(counts.size()).as("kept half a minute on").isEqualTo(1);
        counts.recycle(61_000);
        assertThat(counts.size())
                .as("forgotten a minute after the last clearing")
                .isZero();
        // and whenever more than half the table is taken
        for (int i = 0; i < 51; i++) {
            counts.add(query("10.0.0.1", "n" + i + ".example"));
        }
        drain(counts);
        counts.recycle(62_000);
        assertThat(counts.size()).isZero();
    }

    @Test
    void countsEveryPairExactlyWhileTheTableGrowsAndAfterItIsCleared() {
        PairCounts counts = new PairCounts(100_000);
        Map<PairKey, Long> expected = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 60_000; i++) {
                // names of many lengths, some long enough to take several words of the hash
                String domain = "n" + i + ".example" + ".x".repeat(i % 40);
                String client = "10.0." + (i % 7) + "." + (i % 251);
                int times = 1 + i % 3;
                for (int t = 0; t < times; t++) {
                    assertThat(counts.add(query(client, domain))).isTrue();
                }
                expected.put(new PairKey("gw", client, domain, "A"), (long) times);
            }
            assertThat(drain(counts)).isEqualTo(expected);
            counts.recycle(round * 1_000L); // more than half full: forgotten, and the arrays reused
            assertThat(counts.size()).isZero();
            assertThat(drain(counts)).isEmpty();
        }
    }
}
