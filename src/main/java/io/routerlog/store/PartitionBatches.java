package io.routerlog.store;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.util.HashUtil;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.spi.impl.operationservice.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes a batch of per-key updates with one entry-processor call per partition and waits for them; the updates of
 * every partition that confirmed are removed from the batch, so after a partial failure it holds exactly what
 * still has to be written.
 */
final class PartitionBatches {
    private static final Long ZERO = 0L;

    private PartitionBatches() {}

    /**
     * Every key is serialized once, here, to find its partition by Hazelcast's own rule, and each partition's
     * processor is invoked on that partition directly with those serialized keys. The map's {@code submitToKeys}
     * would serialize every key again and complete each call's future through a task on Hazelcast's asynchronous
     * executor ({@link AsyncCompletions}); a direct invocation is completed by the thread that reads the answer.
     *
     * @param processor makes the entry processor that applies one partition's updates (it gets the entries with
     *     their keys deserialized, so it finds each one's update by key)
     * @throws StoreException when some partition did not confirm in time
     */
    static <K, V, D> void write(
            IMap<K, V> map,
            SerializationService serialization,
            int partitionCount,
            Map<K, D> updates,
            Function<Map<K, D>, EntryProcessor<K, V, ?>> processor,
            long timeoutMillis) {
        if (updates.isEmpty()) {
            return;
        }
        Map<Integer, Keyed<K, D>> byPartition = new HashMap<>();
        try {
            updates.forEach((k, d) -> {
                Data key = serialization.toData(k);
                int partition = HashUtil.hashToIndex(key.getPartitionHash(), partitionCount);
                Keyed<K, D> part = byPartition.computeIfAbsent(partition, p -> new Keyed<>());
                part.updates.put(k, d);
                part.sent.add(key);
            });
        } catch (RuntimeException e) {
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        List<Part<K, K, V>> parts = new ArrayList<>(byPartition.size());
        byPartition.forEach((p, part) ->
                parts.add(new Part<>(asKeys(part.sent), processor.apply(part.updates), part.updates.keySet(), p)));
        send(map, parts, updates::remove, timeoutMillis);
    }

    /** One partition's updates by key, and the same keys serialized. */
    private static final class Keyed<K, D> {
        final Map<K, D> updates = new HashMap<>();
        final Set<Data> sent = new HashSet<>();
    }

    /**
     * Like {@link #write}, for counter deltas, which the processor gets by serialized key: every key is serialized
     * once, here, and that form also goes to {@code submitToKeys} (which takes a serialized key as it is), so the processor can find an
     * entry's delta by the serialized key Hazelcast hands it with the entry. A partition's deltas are two arrays
     * ({@link KeyDeltas}), not a map node and a boxed count per key.
     */
    static <K, M, V> void writeCounts(
            IMap<M, V> map,
            SerializationService serialization,
            Groups<K> groups,
            Map<K, Long> updates,
            boolean keepKeys,
            Function<KeyDeltas, EntryProcessor<M, V, ?>> processor,
            long timeoutMillis) {
        if (updates.isEmpty()) {
            return;
        }
        Group<K>[] byPartition = groups.byPartition;
        int partitionCount = byPartition.length;
        int expected = 1 + updates.size() / partitionCount;
        try {
            updates.forEach((k, d) -> {
                if (d == 0) {
                    return; // a key kept from an earlier write
                }
                Data key = serialization.toData(k);
                // Hazelcast's own rule for a serialized key's partition (what getPartition(key) answers, unboxed)
                int partition = HashUtil.hashToIndex(key.getPartitionHash(), partitionCount);
                Group<K> group = byPartition[partition];
                if (group == null) {
                    group = new Group<>(expected);
                    byPartition[partition] = group;
                }
                group.deltas.add(key, d);
                group.keys.add(k);
            });
        } catch (RuntimeException e) {
            groups.forget();
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        List<Part<K, M, V>> parts = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            Group<K> g = byPartition[p];
            if (g != null && g.deltas.size() > 0) {
                Set<M> sent = asKeys(g.deltas.keySet());
                parts.add(new Part<>(sent, processor.apply(g.deltas), g.keys, p));
            }
        }
        boolean done = false;
        try {
            send(map, parts, keepKeys ? k -> updates.put(k, ZERO) : updates::remove, timeoutMillis);
            done = true;
        } finally {
            if (done) {
                groups.reuse(expected);
            } else {
                // a processor that did not finish may still be read (a late local run, a retry): never refill it
                groups.forget();
            }
        }
    }

    /**
     * One counter map's per-partition groups, kept from one write to the next once every partition confirmed (then
     * no processor holds them any more): a steady flush refills the same arrays instead of making new ones.
     */
    static final class Groups<K> {
        private final Group<K>[] byPartition;

        @SuppressWarnings("unchecked")
        Groups(int partitionCount) {
            this.byPartition = (Group<K>[]) new Group<?>[partitionCount];
        }

        private void reuse(int expected) {
            for (int p = 0; p < byPartition.length; p++) {
                Group<K> g = byPartition[p];
                if (g != null && !g.clear(expected)) {
                    byPartition[p] = null;
                }
            }
        }

        private void forget() {
            Arrays.fill(byPartition, null);
        }
    }

    /** Serialized keys where the map's API takes keys: Hazelcast serializes a key that is already serialized to itself. */
    @SuppressWarnings("unchecked")
    private static <K> Set<K> asKeys(Set<?> keys) {
        return (Set<K>) (Set<?>) keys;
    }

    /** One partition's deltas by serialized key, and the batch's keys they came from. */
    private static final class Group<K> {
        final KeyDeltas deltas;
        final List<K> keys;

        Group(int expected) {
            this.deltas = new KeyDeltas(expected);
            this.keys = new ArrayList<>(expected);
        }

        /** Empties it for the next write; false when it is much larger than writes need now (then it is dropped). */
        boolean clear(int expected) {
            keys.clear();
            return deltas.clear(expected);
        }
    }

    /**
     * One partition's call: the keys it is sent with, its processor, the batch's keys it confirms, and the partition
     * (-1: not known, the map finds it).
     */
    private record Part<K, M, V>(
            Set<M> sent, EntryProcessor<M, V, ?> processor, Collection<K> confirms, int partition) {}

    /**
     * Sends one partition's processor. With a known partition and serialized keys this is the operation {@code
     * submitToKeys} would make for that partition, invoked on the partition directly: {@code submitToKeys} copies
     * the keys into a new hash set, boxes each key's partition and starts a call over all partitions, which for a
     * call that is always one partition's costs about as much as the counting itself.
     */
    private static <K, M, V> CompletableFuture<?> submit(IMap<M, V> map, Part<K, M, V> part) {
        return submit(map, part.sent(), part.processor(), part.partition());
    }

    /**
     * Sends {@code processor} to the serialized keys {@code sent}, all of {@code partition} (-1: not known, the map
     * finds it).
     */
    @SuppressWarnings("unchecked")
    static <M, V> CompletableFuture<?> submit(
            IMap<M, V> map, Set<?> sent, EntryProcessor<M, V, ?> processor, int partition) {
        if (partition >= 0 && map instanceof MapProxyImpl<?, ?> proxy) {
            Operation op = proxy.getOperationProvider()
                    .createMultipleEntryOperationFactory(map.getName(), (Set<Data>) sent, processor)
                    .createOperation();
            return proxy.getNodeEngine()
                    .getOperationService()
                    .invokeOnPartitionAsync(MapService.SERVICE_NAME, op, partition);
        }
        return map.submitToKeys((Set<M>) sent, processor).toCompletableFuture();
    }

    /** @param confirmed told each key whose partition confirmed */
    private static <K, M, V> void send(
            IMap<M, V> map, List<Part<K, M, V>> parts, Consumer<K> confirmed, long timeoutMillis) {
        List<CompletableFuture<?>> pending = new ArrayList<>(parts.size());
        RuntimeException notSent = null;
        for (Part<K, M, V> part : parts) {
            try {
                pending.add(submit(map, part));
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
                        confirmed.accept(k);
                    }
                }
            }
        }
        if (notSent != null) {
            throw new StoreException("writing " + map.getName() + " failed: " + notSent, notSent);
        }
    }
}
