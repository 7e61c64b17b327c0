package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One partition's packed pairs: counting, retries, the bound, the retention, merging and copies. */
class PairShardTest {
    private static final InternalSerializationService SS = new DefaultSerializationServiceBuilder()
            .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
            .build();
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final int NOW = 1_800_000_000;
    private static final int HOUR = 3600;

    private static PairKey pair(int i) {
        return new PairKey("r1", "10.0." + (i / 250) + "." + (i % 250), "host" + i + ".example.test", "A");
    }

    private static byte[] key(PairKey k) {
        return PairBytes.of(k);
    }

    /** Deltas in the given order. */
    private static PairShard.Deltas deltas(Map<PairKey, Long> d) {
        return each -> d.forEach((k, n) -> {
            byte[] b = key(k);
            each.accept(b, 0, b.length, PairBytes.hash(b, 0, b.length), n);
        });
    }

    private static Map<PairKey, Long> read(PairShard shard, int now) {
        Map<PairKey, Long> out = new HashMap<>();
        ShardScan scan = new ShardScan();
        shard.forEach(now, (keys, off, len, total) -> {
            PairKey k = scan.decode(keys, off, len);
            assertThat(k).isNotNull();
            assertThat(out.put(k, total)).as("each key once").isNull();
        });
        return out;
    }

    @Test
    void countsAddUpPerKeyAndARetriedFlushCountsOnce() {
        PairShard shard = new PairShard();
        Map<PairKey, Long> expected = new HashMap<>();
        Map<PairKey, Long> batch = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            batch.put(pair(i), (long) i % 7 + 1);
        }
        assertThat(shard.add(A, 1, NOW, 10_000, HOUR, deltas(batch))).isTrue();
        batch.forEach((k, n) -> expected.merge(k, n, Long::sum));
        assertThat(shard.add(A, 1, NOW, 10_000, HOUR, deltas(batch)))
                .as("the same flush again")
                .isFalse();
        assertThat(shard.add(B, 1, NOW, 10_000, HOUR, deltas(batch)))
                .as("another member's flush 1")
                .isTrue();
        batch.forEach((k, n) -> expected.merge(k, n, Long::sum));
        assertThat(shard.add(A, 2, NOW + 1, 10_000, HOUR, deltas(Map.of(pair(3), 100L))))
                .isTrue();
        expected.merge(pair(3), 100L, Long::sum);

        assertThat(read(shard, NOW + 1)).isEqualTo(expected);
        assertThat(shard.get(key(pair(3)), NOW + 1)).isEqualTo(4 + 4 + 100);
        assertThat(shard.get(key(pair(5000)), NOW + 1)).isZero();
        assertThat(shard.size(NOW + 1)).isEqualTo(1000);
        assertThat(shard.evicted()).isZero();
    }

    @Test
    void aFullShardRemovesTheLeastRecentlyUpdatedFirst() {
        PairShard shard = new PairShard();
        int bound = 100;
        List<PairKey> hot = List.of(pair(100_000), pair(100_001), pair(100_002));
        int next = 0;
        long flush = 0;
        for (int round = 0; round < 30; round++) {
            Map<PairKey, Long> touch = new LinkedHashMap<>();
            hot.forEach(k -> touch.put(k, 1L));
            shard.add(A, ++flush, NOW, bound, HOUR, deltas(touch));
            Map<PairKey, Long> flood = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                flood.put(pair(next++), 1L);
            }
            shard.add(A, ++flush, NOW, bound, HOUR, deltas(flood));
            assertThat(shard.size(NOW)).isLessThanOrEqualTo(bound);
        }
        Map<PairKey, Long> left = read(shard, NOW);
        assertThat(left).hasSize(bound);
        hot.forEach(k -> assertThat(left).containsEntry(k, 30L));
        // 97 flood pairs stayed: the last four rounds' 80, and 17 of the 20 before them (pairs of one update go
        // by key hash); every older one went
        int partly = 0;
        for (int i = 0; i < next; i++) {
            if (i >= next - 80) {
                assertThat(left).as("flood pair %d", i).containsKey(pair(i));
            } else if (i < next - 100) {
                assertThat(left).as("flood pair %d", i).doesNotContainKey(pair(i));
            } else if (left.containsKey(pair(i))) {
                partly++;
            }
        }
        assertThat(partly).isEqualTo(17);
        assertThat(shard.evicted()).isEqualTo(next + 3 - bound);
    }

    @Test
    void aFloodIntoAFullShardMakesRoomFirstSoItsArraysStayAtTheBound() {
        PairShard shard = new PairShard();
        int bound = 1000;
        int next = 0;
        long flush = 0;
        long keyBytes = 0;
        for (int round = 0; round < 40; round++) {
            Map<PairKey, Long> flood = new LinkedHashMap<>();
            // a few pairs of the round before come again, the rest are new: 300 new keys a flush, a third of the bound
            for (int i = Math.max(0, next - 5); i < next; i++) {
                flood.put(pair(i), 2L);
            }
            for (int i = 0; i < 300; i++) {
                flood.put(pair(next++), 1L);
            }
            shard.add(A, ++flush, NOW, bound, HOUR, deltas(flood));
            assertThat(shard.size(NOW)).isLessThanOrEqualTo(bound);
            if (round == 5) {
                keyBytes = shard.room()[1];
            }
        }
        long[] room = shard.room();
        assertThat(room[0]).as("entries with room").isEqualTo(bound);
        assertThat(room[1]).as("key bytes grow no more once full").isEqualTo(keyBytes);
        Map<PairKey, Long> left = read(shard, NOW);
        assertThat(left).hasSize(bound);
        // the newest 300, the five of the round before that came again, and the 695 touched most recently before them
        for (int i = next - 300; i < next; i++) {
            assertThat(left).containsEntry(pair(i), 1L);
        }
        for (int i = next - 305; i < next - 300; i++) {
            assertThat(left).containsEntry(pair(i), 3L);
        }
        assertThat(shard.evicted()).isEqualTo(next - bound);
    }

    @Test
    void moreNewKeysThanTheBoundInOneUpdateKeepThoseWithTheHighestHashes() {
        PairShard shard = new PairShard();
        Map<PairKey, Long> old = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            old.put(pair(i), 1L);
        }
        shard.add(A, 1, NOW, 100, HOUR, deltas(old));
        Map<PairKey, Long> flood = new LinkedHashMap<>();
        List<long[]> byHash = new ArrayList<>();
        for (int i = 1000; i < 1250; i++) {
            flood.put(pair(i), 1L);
            byte[] b = key(pair(i));
            byHash.add(new long[] {PairBytes.hash(b, 0, b.length) & 0xffffffffL, i});
        }
        shard.add(A, 2, NOW, 100, HOUR, deltas(flood));
        byHash.sort((x, y) -> Long.compare(x[0], y[0]));
        Map<PairKey, Long> left = read(shard, NOW);
        assertThat(left).hasSize(100);
        for (int r = 0; r < byHash.size(); r++) {
            PairKey k = pair((int) byHash.get(r)[1]);
            if (r >= 150) {
                assertThat(left).containsKey(k);
            } else {
                assertThat(left).doesNotContainKey(k);
            }
        }
        assertThat(shard.evicted()).isEqualTo(200);
        assertThat(shard.room()[0]).isLessThanOrEqualTo(300);
    }

    @Test
    void copiesThatGetTheSameUpdatesInAnotherOrderRemoveTheSamePairs() {
        PairShard one = new PairShard();
        PairShard two = new PairShard();
        Random random = new Random(7);
        for (int flush = 1; flush <= 20; flush++) {
            List<PairKey> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add(pair(random.nextInt(500)));
            }
            Map<PairKey, Long> forward = new LinkedHashMap<>();
            keys.forEach(k -> forward.merge(k, 1L, Long::sum));
            List<PairKey> reversed = new ArrayList<>(forward.keySet());
            Collections.reverse(reversed);
            Map<PairKey, Long> backward = new LinkedHashMap<>();
            reversed.forEach(k -> backward.put(k, forward.get(k)));
            one.add(A, flush, NOW, 64, HOUR, deltas(forward));
            two.add(A, flush, NOW, 64, HOUR, deltas(backward));
        }
        assertThat(one.evicted()).isPositive();
        assertThat(read(one, NOW)).isEqualTo(read(two, NOW));
    }

    @Test
    void pairsOlderThanTheRetentionAreSkippedThenRemovedAndCounted() {
        PairShard shard = new PairShard();
        shard.add(A, 1, NOW, 100, 60, deltas(Map.of(pair(1), 1L, pair(2), 2L)));
        shard.add(A, 2, NOW + 50, 100, 60, deltas(Map.of(pair(2), 1L)));
        assertThat(shard.mayExpire(NOW + 60)).isFalse();
        assertThat(read(shard, NOW + 61)).isEqualTo(Map.of(pair(2), 3L));
        assertThat(shard.get(key(pair(1)), NOW + 61)).isZero();
        assertThat(shard.mayExpire(NOW + 61)).isTrue();
        assertThat(shard.expired()).as("only reads so far").isZero();
        shard.sweep(NOW + 61, 60);
        assertThat(shard.expired()).isEqualTo(1);
        assertThat(shard.mayExpire(NOW + 61)).isFalse();
        assertThat(shard.size(NOW + 61)).isEqualTo(1);
        // an update removes them too
        shard.add(A, 3, NOW + 200, 100, 60, deltas(Map.of(pair(3), 1L)));
        assertThat(shard.expired()).isEqualTo(2);
        assertThat(read(shard, NOW + 200)).isEqualTo(Map.of(pair(3), 1L));
    }

    @Test
    void twoDivergedCopiesMergeToEachMembersLargerCount() {
        PairShard before = new PairShard();
        before.add(A, 1, NOW, 100, HOUR, deltas(Map.of(pair(1), 5L)));
        before.add(B, 1, NOW, 100, HOUR, deltas(Map.of(pair(1), 2L)));
        PairShard left = before.copy();
        PairShard right = before.copy();
        // each side keeps counting on its own: A on the left, B on the right
        left.add(A, 2, NOW + 1, 100, HOUR, deltas(Map.of(pair(1), 10L, pair(2), 1L)));
        right.add(B, 2, NOW + 1, 100, HOUR, deltas(Map.of(pair(1), 3L, pair(3), 4L)));
        PairShard merged = (PairShard) new MergePolicies.ShardsByMember().combine(right, left);
        assertThat(read(merged, NOW + 1)).isEqualTo(Map.of(pair(1), 5L + 10 + 2 + 3, pair(2), 1L, pair(3), 4L));
        // both sides' flushes are known: a retry of either is applied once
        assertThat(merged.add(A, 2, NOW + 2, 100, HOUR, deltas(Map.of(pair(2), 1L))))
                .isFalse();
        assertThat(merged.add(B, 2, NOW + 2, 100, HOUR, deltas(Map.of(pair(3), 1L))))
                .isFalse();
    }

    @Test
    void aSerializedCopyReadsAndCountsOnAsTheOriginal() {
        PairShard shard = new PairShard();
        Map<PairKey, Long> batch = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            batch.put(pair(i), (long) i + 1);
        }
        shard.add(A, 1, NOW, 200, HOUR, deltas(batch));
        shard.add(B, 1, NOW, 200, HOUR, deltas(Map.of(pair(299), 1L)));
        PairShard copy = SS.toObject(SS.toData(shard));
        assertThat(read(copy, NOW)).isEqualTo(read(shard, NOW));
        assertThat(copy.evicted()).isEqualTo(shard.evicted()).isGreaterThanOrEqualTo(100);
        assertThat(copy.add(A, 1, NOW, 200, HOUR, deltas(batch)))
                .as("its flushes came along")
                .isFalse();
        Map<PairKey, Long> more = new LinkedHashMap<>();
        for (int i = 400; i < 450; i++) {
            more.put(pair(i), 1L);
        }
        shard.add(A, 2, NOW + 1, 200, HOUR, deltas(more));
        copy.add(A, 2, NOW + 1, 200, HOUR, deltas(more));
        assertThat(read(copy, NOW + 1)).isEqualTo(read(shard, NOW + 1));
    }

    @Test
    void aScanReadsEveryLabelExactlyWhateverItsCharacters() {
        PairShard shard = new PairShard();
        Map<PairKey, Long> batch = new LinkedHashMap<>();
        String[] names = {"bücher.example", "bucher.example", "xn--bcher-kva.example", "日本.example", "ü", "u"};
        for (int i = 0; i < 20_000; i++) {
            String name = names[i % names.length] + (i % 3 == 0 ? "" : "." + i);
            batch.put(new PairKey("röuter", "10.0.0." + (i % 200), name, i % 2 == 0 ? "A" : "AAAA"), 1L + i % 5);
        }
        shard.add(A, 1, NOW, 100_000, HOUR, deltas(batch));
        Map<PairKey, Long> read = read(shard, NOW);
        assertThat(read).isEqualTo(read(shard, NOW)).isEqualTo(batch);
    }

    @Test
    void membersWithNoCountLeftAreForgottenOnceThereAreMoreThanFour() {
        PairShard shard = new PairShard();
        List<UUID> gone = new ArrayList<>();
        // six members in turn, each restarting under a new identity, each counting pairs of its own
        for (int i = 0; i < 6; i++) {
            UUID member = new UUID(1, i);
            gone.add(member);
            shard.add(member, 1, NOW + i * 100, 1000, 150, deltas(Map.of(pair(i), 1L)));
        }
        // the fifth write found the pairs of the first three expired and five columns: theirs went; the fourth's
        // pair expired later, when three columns were left, so its column stays
        for (int i = 0; i < 3; i++) {
            assertThat(shard.knows(gone.get(i))).as("member %d", i).isFalse();
        }
        assertThat(shard.knows(gone.get(3))).isTrue();
        assertThat(shard.knows(gone.get(4))).isTrue();
        assertThat(shard.knows(gone.get(5))).isTrue();
        assertThat(read(shard, NOW + 500)).isEqualTo(Map.of(pair(4), 1L, pair(5), 1L));
        // the members that are left count on as before, and a retry of theirs is still applied once
        assertThat(shard.add(gone.get(5), 1, NOW + 501, 1000, 150, deltas(Map.of(pair(5), 1L))))
                .isFalse();
        assertThat(shard.add(gone.get(4), 2, NOW + 501, 1000, 150, deltas(Map.of(pair(5), 1L))))
                .isTrue();
        assertThat(read(shard, NOW + 501)).isEqualTo(Map.of(pair(4), 1L, pair(5), 2L));
    }

    @Test
    void aMergeBeyondTheBoundRemovesThePairsTouchedLongestAgoOnEitherSide() {
        PairShard before = new PairShard();
        before.add(A, 1, NOW, 3, HOUR, deltas(Map.of(pair(1), 1L)));
        PairShard left = before.copy();
        PairShard right = before.copy();
        // the right side adds pair 4 and then touches pair 1; the left side keeps touching pairs 2 and 3
        right.add(B, 1, NOW + 1, 3, HOUR, deltas(Map.of(pair(4), 1L)));
        right.add(B, 2, NOW + 2, 3, HOUR, deltas(Map.of(pair(1), 1L)));
        for (long flush = 2; flush <= 5; flush++) {
            left.add(A, flush, NOW + (int) flush, 3, HOUR, deltas(Map.of(pair(flush % 2 == 0 ? 2 : 3), 1L)));
        }
        PairShard merged = (PairShard) new MergePolicies.ShardsByMember().combine(right, left);
        // pair 4 was touched longest ago, though it is the one the merge brought in
        assertThat(read(merged, NOW + 5)).isEqualTo(Map.of(pair(1), 2L, pair(2), 2L, pair(3), 2L));
        assertThat(merged.evicted()).isEqualTo(1);
    }
}
