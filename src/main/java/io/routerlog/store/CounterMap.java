package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicate;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * A distributed map of counters ({@code K -> }{@link MemberCounts}) that this member adds to in batches and
 * reads the part it owns of. Evictions and expiries of owned entries are counted from Hazelcast's statistics
 * ({@link OwnedRemovals}), with no entry listener: one would make every update publish an event.
 */
public final class CounterMap<K> implements CounterWriter<K> {
    private final IMap<K, MemberCounts> map;
    private final PartitionService partitions;
    private final SerializationService serialization;
    private final UUID member;
    private final OwnedPartitions ownedPartitions;
    private final PartitionBatches.Groups<K> groups;
    private final AtomicLong flushes = new AtomicLong();
    private final OwnedRemovals removals;

    CounterMap(HazelcastInstance hz, String name) {
        this.map = hz.getMap(name);
        this.partitions = hz.getPartitionService();
        this.serialization = ((SerializationServiceSupport) hz).getSerializationService();
        this.member = hz.getCluster().getLocalMember().getUuid();
        this.ownedPartitions = new OwnedPartitions(partitions);
        this.groups = new PartitionBatches.Groups<>(partitions.getPartitions().size());
        this.removals = new OwnedRemovals(map);
    }

    @Override
    public String name() {
        return map.getName();
    }

    /**
     * Adds the deltas, one entry-processor call per partition, and waits until all are applied. The deltas of
     * every partition that confirmed are removed from {@code deltas}, so after a partial failure it holds exactly
     * what still has to be written.
     *
     * @throws StoreException when some partition did not confirm in time
     */
    public void add(Map<K, Long> deltas, long timeoutMillis) {
        write(deltas, false, timeoutMillis);
    }

    /**
     * Like {@link #add}, but a confirmed delta is set to 0 instead of removed (and keys at 0 are not written): a
     * caller that adds to the same keys at every flush then reuses their map entries instead of making new ones.
     */
    @Override
    public void addKeepingKeys(Map<K, Long> deltas, long timeoutMillis) {
        write(deltas, true, timeoutMillis);
    }

    private synchronized void write(Map<K, Long> deltas, boolean keepKeys, long timeoutMillis) {
        long flush = flushes.incrementAndGet();
        PartitionBatches.writeCounts(
                map,
                serialization,
                groups,
                deltas,
                keepKeys,
                part -> new AddToMemberCounts<>(member, flush, part),
                timeoutMillis);
        // a look per flush: a partition that migrates away loses at most what it removed since
        removals.update();
    }

    static void await(CompletableFuture<?> all, long timeoutMillis, String what) {
        try {
            all.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing " + what, e);
        } catch (ExecutionException e) {
            throw new StoreException("writing " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException("writing " + what + " took longer than " + timeoutMillis + " ms", e);
        }
    }

    /** Calls {@code action} with each entry whose primary copy this member holds, and its total count. */
    public void forEachOwned(BiConsumer<K, Long> action) {
        Set<K> keys = map.localKeySet();
        if (keys.isEmpty()) {
            return;
        }
        // One getAll per partition: a getAll of every key sends all of them to each partition, which hashes
        // each key again to find its own (271 x keys hashes: seconds for 100,000 pairs).
        Map<Integer, Set<K>> byPartition = new HashMap<>();
        for (K k : keys) {
            byPartition
                    .computeIfAbsent(partitions.getPartition(k).getPartitionId(), p -> new HashSet<>())
                    .add(k);
        }
        for (Set<K> part : byPartition.values()) {
            for (Map.Entry<K, MemberCounts> e : map.getAll(part).entrySet()) {
                action.accept(e.getKey(), e.getValue().sum());
            }
        }
    }

    /** Calls {@code action} with every entry of the whole cluster and its total count (a cluster-wide view). */
    public void forEachAll(BiConsumer<K, Long> action) {
        for (Map.Entry<K, MemberCounts> e : map.entrySet()) {
            action.accept(e.getKey(), e.getValue().sum());
        }
    }

    /**
     * The entries whose primary copy this member holds, with their totals, packed: one aggregation over the owned
     * partitions instead of a lookup per key. A partition that moves during the read is read where it is now.
     */
    public PackedCounters packOwned() {
        Predicate<K, MemberCounts> owned = ownedPartitions.predicate();
        return owned == null ? new PackedCounters() : map.aggregate(new PackingAggregator<>(), owned);
    }

    /** Every entry of the whole cluster with its total, packed (the cluster-wide view). */
    public PackedCounters packAll() {
        return map.aggregate(new PackingAggregator<>());
    }

    /**
     * The {@code limit} counters of the whole cluster with the highest totals, highest first (one aggregation, where
     * the entries live).
     */
    public List<Map.Entry<K, Long>> top(int limit) {
        return map.aggregate(new TopCounters<>(limit));
    }

    /** The totals of {@code keys} that are stored, wherever they are (one bulk read). */
    public Map<K, Long> getAll(Set<K> keys) {
        Map<K, Long> out = new HashMap<>();
        map.getAll(keys).forEach((k, c) -> out.put(k, c.sum()));
        return out;
    }

    /** The total of one counter, wherever it is stored (for tests and tools, not the hot path). */
    public long get(K key) {
        MemberCounts c = map.get(key);
        return c == null ? 0 : c.sum();
    }

    /** Entries this member owns. */
    public long ownedSize() {
        return map.getLocalMapStats().getOwnedEntryCount();
    }

    /** Entries in the whole map. */
    public int size() {
        return map.size();
    }

    /** Owned entries removed to keep the map within its bound, since this member started. */
    public long evicted() {
        return removals.evicted();
    }

    /** Owned entries removed because they were not updated within the retention, since this member started. */
    public long expired() {
        return removals.expired();
    }
}
