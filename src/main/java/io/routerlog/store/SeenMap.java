package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** When each client (router and address) was first and last seen, shared by the whole cluster. */
public final class SeenMap {
    private final IMap<ClientKey, ClientSeen> map;
    private final SerializationService serialization;
    private final int partitionCount;

    SeenMap(HazelcastInstance hz, String name) {
        this.map = hz.getMap(name);
        this.serialization = ((SerializationServiceSupport) hz).getSerializationService();
        this.partitionCount = hz.getPartitionService().getPartitions().size();
    }

    public String name() {
        return map.getName();
    }

    /**
     * Widens each client's span to cover the one given, one entry-processor call per partition, and waits until all
     * are applied. The spans of every partition that confirmed are removed from {@code seen}; a retried span changes
     * nothing.
     *
     * @throws StoreException when some partition did not confirm in time
     */
    public void widen(Map<ClientKey, ClientSeen> seen, long timeoutMillis) {
        PartitionBatches.write(map, serialization, partitionCount, seen, WidenSeen::new, timeoutMillis);
    }

    public @Nullable ClientSeen get(String router, String client) {
        return map.get(new ClientKey(router, client));
    }

    /** The sightings of those of {@code clients} that have one. */
    public Map<ClientKey, ClientSeen> getAll(java.util.Set<ClientKey> clients) {
        return clients.isEmpty() ? Map.of() : map.getAll(clients);
    }

    public int size() {
        return map.size();
    }
}
