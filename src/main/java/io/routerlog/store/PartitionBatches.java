package io.routerlog.store;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Writes a batch of per-key updates with one entry-processor call per partition and waits for them; the updates of
 * every partition that confirmed are removed from the batch, so after a partial failure it holds exactly what
 * still has to be written.
 */
final class PartitionBatches {
    private PartitionBatches() {}

    /**
     * @param processor makes the entry processor that applies one partition's updates
     * @throws StoreException when some partition did not confirm in time
     */
    static <K, V, D> void write(
            IMap<K, V> map,
            PartitionService partitions,
            Map<K, D> updates,
            Function<Map<K, D>, EntryProcessor<K, V, ?>> processor,
            long timeoutMillis) {
        if (updates.isEmpty()) {
            return;
        }
        Map<Integer, Map<K, D>> byPartition = new HashMap<>();
        try {
            updates.forEach((k, d) -> byPartition
                    .computeIfAbsent(partitions.getPartition(k).getPartitionId(), p -> new HashMap<>())
                    .put(k, d));
        } catch (RuntimeException e) {
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        List<Part<K, V>> parts = new ArrayList<>(byPartition.size());
        for (Map<K, D> part : byPartition.values()) {
            parts.add(new Part<>(part.keySet(), processor.apply(part), part.keySet()));
        }
        send(map, parts, updates, timeoutMillis);
    }

    /**
     * Like {@link #write}, but the processor gets each partition's updates by serialized key: every key is serialized
     * once, here, and that form also goes to {@code submitToKeys} (which takes a serialized key as it is), so the
     * processor can find an entry's update by the serialized key Hazelcast hands it with the entry.
     */
    static <K, V, D> void writeSerialized(
            IMap<K, V> map,
            SerializationService serialization,
            PartitionService partitions,
            Map<K, D> updates,
            Function<Map<Data, D>, EntryProcessor<K, V, ?>> processor,
            long timeoutMillis) {
        if (updates.isEmpty()) {
            return;
        }
        Map<Integer, Group<K, D>> byPartition = new HashMap<>();
        try {
            updates.forEach((k, d) -> {
                Data key = serialization.toData(k);
                // a serialized key is taken as it is: its partition comes from its hash, with no second serialization
                Group<K, D> group =
                        byPartition.computeIfAbsent(partitions.getPartition(key).getPartitionId(), p -> new Group<>());
                group.updates.put(key, d);
                group.keys.add(k);
            });
        } catch (RuntimeException e) {
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        List<Part<K, V>> parts = new ArrayList<>(byPartition.size());
        for (Group<K, D> g : byPartition.values()) {
            parts.add(new Part<>(asKeys(g.updates.keySet()), processor.apply(g.updates), g.keys));
        }
        send(map, parts, updates, timeoutMillis);
    }

    /** Serialized keys where the map's API takes keys: Hazelcast serializes a key that is already serialized to itself. */
    @SuppressWarnings("unchecked")
    private static <K> Set<K> asKeys(Set<Data> keys) {
        return (Set<K>) (Set<?>) keys;
    }

    /** One partition's updates by serialized key, and the batch's keys they came from. */
    private static final class Group<K, D> {
        final Map<Data, D> updates = new HashMap<>();
        final List<K> keys = new ArrayList<>();
    }

    /** One partition's call: the keys it is sent with, its processor, and the batch's keys it confirms. */
    private record Part<K, V>(Set<K> sent, EntryProcessor<K, V, ?> processor, Collection<K> confirms) {}

    private static <K, V, D> void send(IMap<K, V> map, List<Part<K, V>> parts, Map<K, D> updates, long timeoutMillis) {
        List<CompletableFuture<?>> pending = new ArrayList<>(parts.size());
        RuntimeException notSent = null;
        for (Part<K, V> part : parts) {
            try {
                pending.add(map.submitToKeys(part.sent(), part.processor()).toCompletableFuture());
            } catch (RuntimeException e) {
                // the member is not running or shutting down: the rest stays in the batch
                notSent = e;
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
                    for (K k : parts.get(i).confirms()) {
                        updates.remove(k);
                    }
                }
            }
        }
        if (notSent != null) {
            throw new StoreException("writing " + map.getName() + " failed: " + notSent, notSent);
        }
    }
}
