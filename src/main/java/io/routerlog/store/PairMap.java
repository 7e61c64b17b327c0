package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.record.Record;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.routerlog.bytes.BytesTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A bounded map of pair counters ({@link PairKey} -> total), kept as {@value #SHARDS} {@link PairShard}s: a
 * Hazelcast map with one entry per shard, whose value packs that shard's pairs, each shard in a partition of its own.
 * A pair lives in the shard the hash of its router, client and domain names ({@link #shardOf}). Each flush sends
 * every shard one {@link AddToShard} with that shard's deltas; the shard keeps its bound (its share of
 * {@code --max-pairs}) and retention itself. Reads run where the shards live (aggregations over the owned
 * partitions, or the whole cluster).
 */
public final class PairMap implements CounterWriter<PairKey> {
    /**
     * Shards per map. Hazelcast's cost is per operation: an entry processor on a partition costs about ten times
     * the counting it does there, and each flush sends every shard one (and its backup another). Fewer, larger
     * shards than the 271 partitions cut that, while still spreading over the members as the partitions do.
     */
    static final int SHARDS = 64;

    /** Shards packed by one aggregation of {@link #packOwnedParts()} and {@link #packAllParts()}. */
    static final int SHARDS_PER_PART = 8;

    private final IMap<Integer, PairShard> map;
    private final PartitionService partitions;
    private final SerializationService serialization;
    private final UUID member;
    private final OwnedPartitions ownedPartitions;
    /** Each shard's part of the last flush, reused while every shard confirms. */
    private final ShardDeltas[] batches;

    /** The partition each shard lives in, and the shard of each partition (-1: none). */
    private final int[] shardPartition;

    private final int[] partitionShard;
    private final Data[] shardKeys;
    private final Set<?>[] shardKeySets;
    private final int maxPairs;
    private final int retentionSeconds;
    private final AtomicLong flushes = new AtomicLong();
    private final OwnedRemovals removals;
    private final IPartitionService localPartitions;
    private final MapServiceContext context;
    /** The flush's fields to place keys with ({@link #shardOf}); used under this map's lock. */
    private final PairBytes.Fields shardFields = new PairBytes.Fields();

    /**
     * @param maxPairs         pairs in all the shards together, at least {@value #SHARDS}
     * @param retentionSeconds how long a pair is kept after its last update
     */
    PairMap(HazelcastInstance hz, String name, int maxPairs, int retentionSeconds) {
        this.map = hz.getMap(name);
        this.partitions = hz.getPartitionService();
        this.serialization = ((SerializationServiceSupport) hz).getSerializationService();
        this.member = hz.getCluster().getLocalMember().getUuid();
        this.ownedPartitions = new OwnedPartitions(partitions);
        int partitionCount = partitions.getPartitions().size();
        int count = Math.min(SHARDS, partitionCount);
        this.batches = new ShardDeltas[count];
        this.maxPairs = maxPairs;
        this.retentionSeconds = retentionSeconds;
        Object[] keys = ownedPartitions.partitionKeys();
        this.shardPartition = new int[count];
        this.partitionShard = new int[partitionCount];
        Arrays.fill(partitionShard, -1);
        this.shardKeys = new Data[count];
        this.shardKeySets = new Set<?>[count];
        for (int s = 0; s < count; s++) {
            // spread over the partitions, so over the members as the partitions are
            int p = (int) ((long) s * partitionCount / count);
            shardPartition[s] = p;
            partitionShard[p] = s;
            shardKeys[s] = serialization.toData(keys[p]);
            shardKeySets[s] = Set.of(shardKeys[s]);
        }
        this.context = OwnedRemovals.mapContext(map);
        this.localPartitions =
                ((AbstractDistributedObject<?>) map).getNodeEngine().getPartitionService();
        this.removals = new OwnedRemovals(
                map,
                new OwnedRemovals.Source(
                        this::localShard, s -> ((PairShard) s).evicted(), s -> ((PairShard) s).expired()));
    }

    @Override
    public String name() {
        return map.getName();
    }

    /**
     * Adds the deltas, one entry-processor call per shard, and waits until all are applied; the deltas of every
     * shard that confirmed are removed (for tests and tools; the flush hands {@link #add(PairDeltas, long)} its
     * pending deltas).
     *
     * @throws StoreException when some shard did not confirm in time
     */
    public void add(Map<PairKey, Long> deltas, long timeoutMillis) {
        write(deltas, false, timeoutMillis);
    }

    @Override
    public void addKeepingKeys(Map<PairKey, Long> deltas, long timeoutMillis) {
        write(deltas, true, timeoutMillis);
    }

    private void write(Map<PairKey, Long> deltas, boolean keepKeys, long timeoutMillis) {
        PairDeltas pending = new PairDeltas();
        Map<PairKey, byte[]> keys = new HashMap<>();
        deltas.forEach((k, d) -> {
            byte[] b = PairBytes.of(k);
            keys.put(k, b);
            pending.add(b, 0, b.length, PairBytes.hash(b, 0, b.length), d);
        });
        try {
            add(pending, timeoutMillis);
        } finally {
            keys.forEach((k, b) -> {
                if (deltas.getOrDefault(k, 0L) != 0 && pending.get(b, 0, b.length) == 0) {
                    if (keepKeys) {
                        deltas.put(k, 0L);
                    } else {
                        deltas.remove(k);
                    }
                }
            });
        }
    }

    /**
     * Adds the pending deltas, one entry-processor call per shard, and waits until all are applied: every delta
     * of a shard that confirmed is set to 0, so after a partial failure the deltas not at 0 are exactly what
     * still has to be written. Keys at 0 are dropped.
     *
     * @throws StoreException when some shard did not confirm in time
     */
    public synchronized void add(PairDeltas deltas, long timeoutMillis) {
        long flush = flushes.incrementAndGet();
        long nowMillis = System.currentTimeMillis();
        int now = (int) (nowMillis / 1000);
        int pending = deltas.pending();
        int expected = 1 + pending / batches.length;
        boolean done = false;
        try {
            send(deltas, flush, now, timeoutMillis);
            done = true;
        } finally {
            if (done) {
                deltas.compact();
                // parts are kept for the next flush unless much larger than this one needed (none when idle)
                for (int p = 0; pending > 0 && p < batches.length; p++) {
                    ShardDeltas b = batches[p];
                    if (b != null && !b.clear(expected)) {
                        batches[p] = null;
                    }
                }
            } else {
                // a processor that did not finish may still read its part and the arrays the part points into:
                // never refill either
                deltas.detach();
                Arrays.fill(batches, null);
            }
        }
        sweepExpired(now);
        // a look per flush: a partition that migrates away loses at most what it removed since
        removals.update();
    }

    /**
     * Sends each shard its part of the pending deltas and waits; the deltas of every shard that confirmed
     * are set to 0. Returns normally only when every shard confirmed.
     */
    private void send(PairDeltas deltas, long flush, int now, long timeoutMillis) {
        int n = deltas.size();
        if (deltas.pending() == 0) {
            return;
        }
        int shardCount = batches.length;
        int expected = 1 + deltas.pending() / shardCount;
        for (ShardDeltas b : batches) {
            if (b != null) {
                b.start(deltas.keys(), deltas.deltas());
            }
        }
        BytesTable keys = deltas.keys();
        byte[] keyBytes = keys.keyBytes();
        for (int e = 0; e < n; e++) {
            if (deltas.delta(e) == 0) {
                continue; // confirmed by an earlier write
            }
            int s = shardOf(keyBytes, keys.keyOffset(e), keys.keyLength(e), shardFields);
            ShardDeltas b = batches[s];
            if (b == null) {
                b = new ShardDeltas(expected);
                b.start(deltas.keys(), deltas.deltas());
                batches[s] = b;
            }
            b.add(e);
        }
        List<CompletableFuture<?>> pending = new ArrayList<>();
        List<ShardDeltas> sent = new ArrayList<>();
        RuntimeException notSent = null;
        for (int s = 0; s < shardCount; s++) {
            ShardDeltas b = batches[s];
            if (b == null || b.size() == 0) {
                continue;
            }
            try {
                pending.add(PartitionBatches.submit(
                        map,
                        shardKeySets[s],
                        new AddToShard(member, flush, now, bound(s), retentionSeconds, b),
                        shardPartition[s]));
                sent.add(b);
            } catch (RuntimeException ex) {
                // the member is not running or shutting down: the rest stays pending
                notSent = ex;
                break;
            }
        }
        try {
            CounterMap.await(
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, map.getName());
        } finally {
            for (int i = 0; i < pending.size(); i++) {
                CompletableFuture<?> f = pending.get(i);
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    ShardDeltas b = sent.get(i);
                    for (int j = 0, m = b.size(); j < m; j++) {
                        deltas.confirmed(b.source(j));
                    }
                }
            }
        }
        if (notSent != null) {
            throw new StoreException("writing " + map.getName() + " failed: " + notSent, notSent);
        }
    }

    /**
     * This member's copy of the shard that lives in a partition (primary or backup), null when it has none or the
     * partition holds no shard.
     */
    private @Nullable PairShard localShard(int partition) {
        int s = partitionShard[partition];
        if (s < 0) {
            return null;
        }
        RecordStore<?> store = context.getExistingRecordStore(partition, map.getName());
        Record<?> r = store == null ? null : store.getRecord(shardKeys[s]);
        return r != null && r.getValue() instanceof PairShard shard ? shard : null;
    }

    /**
     * Removes the pairs the retention no longer keeps from the shards this member owns that may hold some: a shard
     * that flushes write to does that itself, this is for those no flush writes to any more. Reads skip such pairs
     * either way; this frees them and counts them.
     */
    private void sweepExpired(int now) {
        Set<Integer> due = null;
        for (int s = 0; s < shardKeys.length; s++) {
            int p = shardPartition[s];
            if (!localPartitions.getPartition(p, false).isLocal()) {
                continue;
            }
            PairShard shard = localShard(p);
            if (shard != null && shard.mayExpire(now)) {
                if (due == null) {
                    due = new HashSet<>();
                }
                due.add(shardKey(s));
            }
        }
        if (due != null) {
            try {
                map.executeOnKeys(due, new SweepShard(now, retentionSeconds));
            } catch (RuntimeException e) {
                // the next flush looks again
            }
        }
    }

    /** Calls {@code action} with each pair whose primary copy this member holds, and its total count. */
    public void forEachOwned(BiConsumer<PairKey, Long> action) {
        unpack(packOwnedParts(), action);
    }

    /** Calls {@code action} with every pair of the whole cluster and its total count. */
    public void forEachAll(BiConsumer<PairKey, Long> action) {
        unpack(packAllParts(), action);
    }

    private static void unpack(Iterable<PackedCounters> parts, BiConsumer<PairKey, Long> action) {
        for (PackedCounters packed : parts) {
            PackedCounters.Cursor c = packed.cursor();
            while (c.next()) {
                if (c.labels() == 4) {
                    action.accept(new PairKey(c.label(0), c.label(1), c.label(2), c.label(3)), c.value());
                }
            }
        }
    }

    /**
     * The pairs whose primary copy this member holds, with their totals, packed in parts of at most
     * {@value #SHARDS_PER_PART} shards: one aggregation per part, run as the iteration reaches it. A reader that
     * writes each part out before taking the next holds one part at a time (about a megabyte at 100,000 pairs)
     * instead of the whole map, so a scrape's working data stays small enough to die young.
     */
    public Iterable<PackedCounters> packOwnedParts() {
        return parts(true);
    }

    /** Every pair of the whole cluster with its total, packed in parts as {@link #packOwnedParts()}. */
    public Iterable<PackedCounters> packAllParts() {
        return parts(false);
    }

    private Iterable<PackedCounters> parts(boolean ownedOnly) {
        List<Set<Object>> parts = new ArrayList<>();
        Set<Object> part = new HashSet<>();
        for (int s = 0; s < shardKeys.length; s++) {
            if (ownedOnly
                    && !localPartitions.getPartition(shardPartition[s], false).isLocal()) {
                continue;
            }
            part.add(shardKey(s));
            if (part.size() == SHARDS_PER_PART) {
                parts.add(part);
                part = new HashSet<>();
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        // the shards are chosen by owner now; each part's are read where they are when its aggregation runs (a
        // shard that moved in between is read on its new owner: once in the cluster, though not by this member)
        return () -> parts.stream()
                .map(keys -> map.aggregate(
                        new ShardPacking(),
                        Predicates.<Integer, PairShard>multiPartitionPredicate(keys, Predicates.alwaysTrue())))
                .iterator();
    }

    /** The totals of {@code keys} that are stored, wherever they are. */
    public Map<PairKey, Long> getAll(Set<PairKey> keys) {
        Map<PairKey, Long> out = new HashMap<>();
        for (PairKey k : keys) {
            long n = get(k);
            if (n != 0) {
                out.put(k, n);
            }
        }
        return out;
    }

    /** The total of one pair, wherever it is stored (for tests and tools, not the hot path). */
    public long get(PairKey key) {
        byte[] b = PairBytes.of(key);
        Long n = map.executeOnKey(shardKey(shardOf(b, 0, b.length, new PairBytes.Fields())), new GetFromShard(b));
        return n == null ? 0 : n;
    }

    /**
     * The shard of the pair whose stored key is {@code b[off, off+len)}, by the hash of its router, client and domain
     * ({@link PairBytes#shardHash}).
     *
     * @param scratch fields to read the key with
     */
    int shardOf(byte[] b, int off, int len, PairBytes.Fields scratch) {
        return PairBytes.partition(PairBytes.shardHash(b, off, len, scratch), shardKeys.length);
    }

    /** The map's key of a shard. */
    Integer shardKey(int shard) {
        return (Integer) ownedPartitions.partitionKeys()[shardPartition[shard]];
    }

    /** Pairs a shard may hold: {@code maxPairs} shared out, the first shards taking one more where it does not divide. */
    int bound(int shard) {
        int n = shardKeys.length;
        return Math.max(1, maxPairs / n + (shard < maxPairs % n ? 1 : 0));
    }

    /** Pairs this member owns. */
    public long ownedSize() {
        Predicate<Integer, PairShard> owned = ownedPartitions.predicate();
        return owned == null ? 0 : map.aggregate(new ShardSize(), owned);
    }

    /** Pairs in the whole map. */
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, map.aggregate(new ShardSize()));
    }

    /** Owned pairs removed to keep the map within its bound, since this member started. */
    public long evicted() {
        return removals.evicted();
    }

    /** Owned pairs removed because they were not updated within the retention, since this member started. */
    public long expired() {
        return removals.expired();
    }
}
