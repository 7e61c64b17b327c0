package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import org.junit.jupiter.api.Test;

/** The flush thread's memo of pairs stays bounded however many pairs go by, and keeps the ones that recur. */
class PairMemoTest {
    private static byte[] pair(int i) {
        return PairBytes.of(new PairKey("r", "10.0.0." + i % 200, "n" + i + ".example.com", "A"));
    }

    private static PairMemo.Entry of(PairMemo memo, byte[] key) {
        return memo.of(key, 0, key.length, PairBytes.hash(key, 0, key.length));
    }

    @Test
    void aStreamOfNewPairsKeepsAtMostTheLimit() {
        PairMemo memo = new PairMemo(1000);
        long now = 0;
        for (int f = 0; f < 20; f++, now += 1000) {
            for (int i = 0; i < 700; i++) {
                of(memo, pair(f * 700 + i));
                assertThat(memo.size()).isLessThanOrEqualTo(1000);
            }
            memo.flushed(now);
            assertThat(memo.size()).isLessThanOrEqualTo(700);
        }
        // below half the limit again, the pairs of the last two flushes are kept and found
        PairMemo.Entry kept = of(memo, pair(5));
        memo.flushed(now);
        memo.flushed(now + 1000);
        assertThat(of(memo, pair(5))).isSameAs(kept);
    }

    @Test
    void entriesOfPairsSeenAgainAreKeptAndQuietOnesGo() {
        PairMemo memo = new PairMemo(100_000);
        PairMemo.Entry steady = of(memo, pair(1));
        of(memo, pair(2));
        long now = 0;
        for (int f = 0; f < 40; f++, now += 1000) {
            assertThat(of(memo, pair(1))).isSameAs(steady);
            // an equal key in another array (another receive thread's) finds the same entry
            byte[] other = new byte[100];
            byte[] same = pair(1);
            System.arraycopy(same, 0, other, 9, same.length);
            assertThat(memo.of(other, 9, same.length, PairBytes.hash(same, 0, same.length)))
                    .isSameAs(steady);
            memo.flushed(now);
        }
        // pair 2 was drained once, 40 s ago: two sweeps later it is gone
        assertThat(memo.size()).isEqualTo(1);
    }

    @Test
    void aWorkingSetSweptAtEveryFlushReusesTheEntriesOfThePairsItForgets() {
        PairMemo memo = new PairMemo(1000);
        java.util.Set<PairMemo.Entry> made = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long now = 0;
        // 900 pairs, more than half the limit: each flush keeps only the pairs it or the one before drained
        for (int f = 0; f < 30; f++, now += 100) {
            for (int i = 0; i < 300; i++) {
                PairMemo.Entry e = of(memo, pair((f * 300 + i) % 900));
                if (made.add(e)) {
                    assertThat(e.described).as("a reused entry starts empty").isFalse();
                    assertThat(e.registrable).isNull();
                }
                e.described = true;
                e.registrable = "example.com";
            }
            memo.flushed(now);
        }
        assertThat(made).as("entries made for 9,000 drains of 900 pairs").hasSizeLessThanOrEqualTo(1000);
    }
}
