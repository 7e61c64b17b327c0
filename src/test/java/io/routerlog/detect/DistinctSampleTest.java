package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistinctSampleTest {
    private static long hash(Random r) {
        return r.nextLong() >>> 1;
    }

    @Test
    void exactBelowTheSampleSizeAndRepeatsChangeNothing() {
        DistinctSample s = new DistinctSample();
        Random r = new Random(1);
        long[] hashes = new long[DistinctSample.SIZE - 1];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = hash(r);
            s.add(hashes[i], i);
        }
        for (long h : hashes) {
            s.add(h, 0);
        }
        assertThat(s.distinct()).isEqualTo(DistinctSample.SIZE - 1);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.hash(i)).isGreaterThan(s.hash(i - 1));
        }
    }

    @Test
    void estimatesLargeCountsWithinTheSketchsError() {
        Random r = new Random(2);
        for (int n : new int[] {500, 5_000, 50_000}) {
            DistinctSample s = new DistinctSample();
            for (int i = 0; i < n; i++) {
                s.add(hash(r), 0);
            }
            // k = 64: a relative standard error of about 1/sqrt(62), 13 %; allow three of them
            assertThat((double) s.distinct()).as("estimate of %d", n).isBetween(n * 0.6, n * 1.4);
            assertThat(s.size()).isEqualTo(DistinctSample.SIZE);
        }
    }

    @Test
    void mergingInAnyOrderAndAgainGivesTheSampleOfTheUnion() {
        Random r = new Random(3);
        DistinctSample a = new DistinctSample();
        DistinctSample b = new DistinctSample();
        DistinctSample all = new DistinctSample();
        for (int i = 0; i < 3_000; i++) {
            long h = hash(r);
            int shape = (int) (h & 0x3ff);
            (i % 3 == 0 ? a : b).add(h, shape);
            all.add(h, shape);
        }
        DistinctSample ab = new DistinctSample();
        ab.addAll(a);
        ab.addAll(b);
        ab.addAll(a);
        DistinctSample ba = new DistinctSample();
        ba.addAll(b);
        ba.addAll(a);
        for (DistinctSample merged : new DistinctSample[] {ab, ba}) {
            assertThat(merged.size()).isEqualTo(all.size());
            for (int i = 0; i < all.size(); i++) {
                assertThat(merged.hash(i)).isEqualTo(all.hash(i));
                assertThat(merged.shape(i)).isEqualTo(all.shape(i));
            }
            assertThat(merged.distinct()).isEqualTo(all.distinct());
        }
    }

    @Test
    void meansAreOverTheDistinctNames() {
        DistinctSample s = new DistinctSample();
        NameShape shape = new NameShape();
        for (String name : new String[] {"ab.example.com", "abcdef.example.com", "ab.example.com"}) {
            shape.measure(name, name.indexOf(".example.com"));
            s.add(shape.hash(), shape.pack());
        }
        assertThat(s.distinct()).isEqualTo(2);
        assertThat(s.meanLength()).isEqualTo(4.0);
        assertThat(s.meanLongestLabel()).isEqualTo(4.0);
    }
}
