package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.bytes.BytesTable;
import org.junit.jupiter.api.Test;

/** The flush's pending pair deltas: what the store confirmed goes, what it did not stays, and none is lost. */
class PairDeltasTest {
    private static byte[] key(int i) {
        return PairBytes.of(new PairKey("gw", "10.0.0." + i % 250, "n" + i + ".example", "A"));
    }

    private static void add(PairDeltas d, int i, long n) {
        byte[] k = key(i);
        d.add(k, 0, k.length, PairBytes.hash(k, 0, k.length), n);
    }

    private static long get(PairDeltas d, int i) {
        byte[] k = key(i);
        return d.get(k, 0, k.length);
    }

    @Test
    void deltasAddUpAndCompactKeepsOnlyWhatWasNotConfirmed() {
        PairDeltas d = new PairDeltas();
        for (int i = 0; i < 5000; i++) {
            add(d, i, 1);
            add(d, i, i);
        }
        assertThat(d.pending()).isEqualTo(5000);
        assertThat(d.total()).isEqualTo(5000L + 4999L * 5000 / 2);
        for (int e = 0; e < d.size(); e += 2) {
            d.confirmed(e);
        }
        assertThat(d.pending()).isEqualTo(2500);
        d.compact();
        assertThat(d.size()).isEqualTo(2500);
        for (int i = 0; i < 5000; i++) {
            assertThat(get(d, i)).isEqualTo(i % 2 == 0 ? 0 : 1L + i);
        }
        // a key confirmed and dropped counts again from 0
        add(d, 0, 3);
        assertThat(get(d, 0)).isEqualTo(3);
    }

    @Test
    void detachLeavesTheOldArraysAsTheyWere() {
        PairDeltas d = new PairDeltas();
        for (int i = 0; i < 100; i++) {
            add(d, i, 2);
        }
        BytesTable oldKeys = d.keys();
        long[] oldDeltas = d.deltas();
        d.confirmed(0);
        d.detach();
        // a late reader of the old arrays still finds every key and its delta
        assertThat(oldKeys.size()).isEqualTo(100);
        assertThat(oldDeltas[1]).isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            add(d, i, 5);
        }
        assertThat(oldKeys.size()).isEqualTo(100);
        assertThat(oldDeltas[1]).isEqualTo(2);
        assertThat(get(d, 0)).isEqualTo(5);
        assertThat(get(d, 1)).isEqualTo(7);
        assertThat(d.pending()).isEqualTo(100);
    }
}
