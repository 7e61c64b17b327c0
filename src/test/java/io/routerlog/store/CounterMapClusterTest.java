package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import io.routerlog.testing.StoreCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counter writes on three real Hazelcast members with one backup: batches from every member add up exactly on
 * every member, a batch applied twice (a retry) counts once, and the backups hold every count when a member dies.
 */
class CounterMapClusterTest {
    private static final long TIMEOUT = 30_000;
    private List<Store> members = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        members = StoreCluster.start(StoreCluster.settings(
                3,
                "counters",
                cluster -> new StoreSettings(271_000, 1000, 1000, Duration.ofHours(2), 1, cluster, 10_000, 0)));
    }

    @AfterEach
    void stop() {
        members.forEach(Store::close);
    }

    private static PairKey pair(int i) {
        return new PairKey(
                "r", "10.1." + (i % 7) + "." + (i % 13), "site" + i + ".counters.test", i % 3 == 0 ? "A" : "AAAA");
    }

    @Test
    void batchesFromEveryMemberAddUpAndSurviveTheLossOfAMember() {
        int keys = 3000;
        Map<PairKey, Long> expected = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int m = 0; m < members.size(); m++) {
                Map<PairKey, Long> batch = new HashMap<>();
                for (int i = m; i < keys; i += 1 + m) {
                    long delta = 1L + (i + round) % 5;
                    batch.put(pair(i), delta);
                    expected.merge(pair(i), delta, Long::sum);
                }
                members.get(m).pairs().add(batch, TIMEOUT);
                assertThat(batch).as("confirmed deltas leave the batch").isEmpty();
            }
        }
        for (Store m : members) {
            assertThat(m.pairs().getAll(expected.keySet())).isEqualTo(expected);
        }
        long owned = 0;
        for (Store m : members) {
            owned += m.pairs().ownedSize();
        }
        assertThat(owned).isEqualTo(expected.size());

        // the primaries of a third of the keys die with this member: their backups take over, every count kept
        members.get(2).terminate();
        members.remove(2);
        for (Store m : members) {
            assertThat(m.pairs().getAll(expected.keySet())).isEqualTo(expected);
        }
        // and the survivors still count onto the same entries
        Map<PairKey, Long> more = new HashMap<>();
        for (int i = 0; i < keys; i += 2) {
            more.put(pair(i), 10L);
            expected.merge(pair(i), 10L, Long::sum);
        }
        members.get(1).pairs().add(more, TIMEOUT);
        assertThat(members.get(0).pairs().getAll(expected.keySet())).isEqualTo(expected);
    }

    @Test
    void aBatchAppliedTwiceWithTheSameFlushNumberCountsOnce() {
        Store writer = members.get(0);
        IMap<Integer, PairShard> map = writer.hazelcast().getMap(Store.PAIRS);
        UUID member = UUID.randomUUID();
        int now = (int) (System.currentTimeMillis() / 1000);
        Map<PairKey, Long> deltas = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            deltas.put(pair(i), (long) i + 1);
        }
        PairMap pairs = writer.pairs();
        for (int attempt = 0; attempt < 2; attempt++) {
            // per shard, the way a flush sends it
            Map<Integer, PairDeltas> byShard = new HashMap<>();
            deltas.forEach((k, d) -> {
                byte[] key = PairBytes.of(k);
                int h = PairBytes.hash(key, 0, key.length);
                byShard.computeIfAbsent(
                                pairs.shardOf(key, 0, key.length, new PairBytes.Fields()), x -> new PairDeltas())
                        .add(key, 0, key.length, h, d);
            });
            byShard.forEach((s, part) ->
                    map.executeOnKey(pairs.shardKey(s), new AddToShard(member, 7, now, 1000, 7200, shardDeltas(part))));
        }
        for (Store m : members) {
            assertThat(m.pairs().getAll(deltas.keySet())).isEqualTo(deltas);
        }
        // a later flush number counts again
        byte[] key = PairBytes.of(pair(1));
        int h = PairBytes.hash(key, 0, key.length);
        PairDeltas one = new PairDeltas();
        one.add(key, 0, key.length, h, 5L);
        map.executeOnKey(
                pairs.shardKey(pairs.shardOf(key, 0, key.length, new PairBytes.Fields())),
                new AddToShard(member, 8, now, 1000, 7200, shardDeltas(one)));
        assertThat(members.get(1).pairs().get(pair(1))).isEqualTo(2 + 5);
    }

    private static ShardDeltas shardDeltas(PairDeltas deltas) {
        ShardDeltas out = new ShardDeltas(deltas.size());
        out.start(deltas.keys(), deltas.deltas());
        for (int e = 0; e < deltas.size(); e++) {
            out.add(e);
        }
        return out;
    }
}
