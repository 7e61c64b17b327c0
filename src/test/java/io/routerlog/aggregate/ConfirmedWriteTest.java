package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfirmedWriteTest {
    /** A part's object: a key and a count under it. */
    private static final class Counter {
        final String key;
        long count;

        Counter(String key, long count) {
            this.key = key;
            this.count = count;
        }
    }

    private final ConfirmedWrite<String, Long> writes = new ConfirmedWrite<>();
    private final List<Counter> taken = new ArrayList<>();

    private void write(Map<String, Long> earlier, List<Counter> pending, ConfirmedWrite.Store<String, Long> store) {
        writes.write(earlier, pending, c -> c.key, c -> c.count, taken::add, store);
    }

    @Test
    void whatTheStoreTookLeavesAndWhatItDidNotStaysAfterAFailure() {
        Map<String, Long> earlier = new HashMap<>(Map.of("a@1", 3L, "b@1", 4L));
        Counter a = new Counter("a@2", 5);
        Counter b = new Counter("b@2", 6);
        List<Counter> pending = new ArrayList<>(List.of(a, b));
        Map<String, Long> seen = new HashMap<>();

        assertThatThrownBy(() -> write(earlier, pending, values -> {
                    seen.putAll(values);
                    // this store confirms a's partition, then fails for b's
                    values.remove("a@1");
                    values.remove("a@2");
                    throw new IllegalStateException("b's partition did not answer");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(seen)
                .containsOnly(Map.entry("a@1", 3L), Map.entry("b@1", 4L), Map.entry("a@2", 5L), Map.entry("b@2", 6L));
        assertThat(earlier).containsOnly(Map.entry("b@1", 4L));
        assertThat(pending).containsExactly(b);
        assertThat(taken).containsExactly(a);

        // the retry writes only what is left, and once taken, nothing stays
        seen.clear();
        write(earlier, pending, values -> {
            seen.putAll(values);
            values.clear();
        });
        assertThat(seen).containsOnly(Map.entry("b@1", 4L), Map.entry("b@2", 6L));
        assertThat(earlier).isEmpty();
        assertThat(pending).isEmpty();
        assertThat(taken).containsExactly(a, b);
    }
}
