package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routerlog.bytes.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a receive thread remembers of the keys it took: new once, then known, until its group fills. */
class RecentKeysTest {
    @Test
    void aKeyIsNewOnceThenKnown() {
        RecentKeys recent = new RecentKeys(1024);
        assertThat(recent.firstSeen(42)).isTrue();
        assertThat(recent.firstSeen(42)).isFalse();
        assertThat(recent.firstSeen(0)).as("the hash that marks a free slot").isTrue();
        assertThat(recent.firstSeen(0)).isFalse();
        assertThat(recent.firstSeen(43)).isTrue();
    }

    @Test
    void aFullGroupLetsOneKeyGoForEachNewOne() {
        RecentKeys recent = new RecentKeys(64);
        // hashes that share a group of four slots
        List<Integer> same = new ArrayList<>();
        int group = Bytes.mix(1) & 63 & ~(RecentKeys.WAYS - 1);
        for (int h = 1; same.size() < RecentKeys.WAYS + 1; h++) {
            if ((Bytes.mix(h) & 63 & ~(RecentKeys.WAYS - 1)) == group) {
                same.add(h);
            }
        }
        for (int k = 0; k < RecentKeys.WAYS; k++) {
            assertThat(recent.firstSeen(same.get(k))).isTrue();
        }
        for (int k = 0; k < RecentKeys.WAYS; k++) {
            assertThat(recent.firstSeen(same.get(k))).as("four fit").isFalse();
        }
        assertThat(recent.firstSeen(same.get(RecentKeys.WAYS))).as("a fifth").isTrue();
        int forgotten = 0;
        for (int k = 0; k < RecentKeys.WAYS; k++) {
            if (recent.firstSeen(same.get(k))) {
                forgotten++;
                break; // taking it back pushes out another: count the first only
            }
        }
        assertThat(forgotten).as("one of the four made room").isEqualTo(1);
    }

    @Test
    void slotsArePowersOfTwoOfAtLeastAGroup() {
        assertThatThrownBy(() -> new RecentKeys(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecentKeys(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
