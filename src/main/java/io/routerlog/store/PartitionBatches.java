package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<Map<K, D>> parts = new ArrayList<>(byPartition.values());
        List<CompletableFuture<?>> pending = new ArrayList<>(parts.size());
        RuntimeException notSent = null;
        for (Map<K, D> part : parts) {
            try {
                pending.add(
                        map.submitToKeys(part.keySet(), processor.apply(part)).toCompletableFuture());
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
                    updates.keySet().removeAll(parts.get(i).keySet());
                }
            }
        }
        if (notSent != null) {
            throw new StoreException("writing " + map.getName() + " failed: " + notSent, notSent);
        }
    }
}
