package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.store.PairKey;
import org.junit.jupiter.api.Test;

/** The flush thread's memo of pairs stays bounded however many pairs go by, and keeps the ones that recur. */
class PairMemoTest {
    private static PairKey pair(int i) {
        return new PairKey("r", "10.0.0." + i % 200, "n" + i + ".example.com", "A");
    }

    @Test
    void aStreamOfNewPairsKeepsAtMostTheLastTwoFlushes() {
        PairMemo memo = new PairMemo(1000);
        long now = 0;
        for (int f = 0; f < 20; f++, now += 1000) {
            for (int i = 0; i < 700; i++) {
                memo.of(pair(f * 700 + i));
            }
            memo.flushed(now);
            assertThat(memo.size()).isLessThanOrEqualTo(1400);
        }
    }

    @Test
    void entriesOfPairsSeenAgainAreKeptAndQuietOnesGo() {
        PairMemo memo = new PairMemo(100_000);
        PairMemo.Entry steady = memo.of(pair(1));
        memo.of(pair(2));
        long now = 0;
        for (int f = 0; f < 40; f++, now += 1000) {
            assertThat(memo.of(pair(1))).isSameAs(steady);
            // an equal key of another receive thread finds the same entry
            assertThat(memo.of(new PairKey("r", "10.0.0.1", "n1.example.com", "A")))
                    .isSameAs(steady);
            memo.flushed(now);
        }
        // pair 2 was drained once, 40 s ago: two sweeps later it is gone
        assertThat(memo.size()).isEqualTo(1);
    }
}
