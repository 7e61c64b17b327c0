package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.impl.HeapData;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyDeltasTest {
    private static Data key(int i) {
        byte[] text = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[8 + text.length];
        System.arraycopy(text, 0, b, 8, text.length);
        return new HeapData(b);
    }

    @Test
    void addsUpPerKeyThroughGrowthAndClears() throws Exception {
        KeyDeltas d = new KeyDeltas(2);
        Map<Data, Long> expected = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                d.add(key(i), i + round);
                expected.merge(key(i), (long) i + round, Long::sum);
            }
        }
        assertThat(d.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(d.get(key(i))).isEqualTo(expected.get(key(i)));
        }
        assertThat(d.get(key(5000))).isZero();
        Set<Data> keys = new HashSet<>(d.keySet());
        assertThat(keys).isEqualTo(expected.keySet());
        assertThat(d.keySet()).hasSize(1000);
        Map<Data, Long> seen = new HashMap<>();
        d.forEach(seen::put);
        assertThat(seen).isEqualTo(expected);

        assertThat(d.clear(1000)).isTrue();
        assertThat(d.size()).isZero();
        assertThat(d.get(key(1))).isZero();
        assertThat(d.keySet()).isEmpty();
        // far larger than a write of four keys needs: the caller drops it
        assertThat(d.clear(4)).isFalse();
    }
}
