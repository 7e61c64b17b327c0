package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** When each client (router and address) was first and last seen, shared by the whole cluster. */
public final class SeenMap {
    private final IMap<ClientKey, ClientSeen> map;

    SeenMap(HazelcastInstance hz, String name) {
        this.map = hz.getMap(name);
    }

    public String name() {
        return map.getName();
    }

    /**
     * Widens each client's span to cover the one given and waits until all are applied. A retried call changes
     * nothing.
     */
    public void widen(Map<ClientKey, ClientSeen> seen, long timeoutMillis) {
        if (seen.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>(seen.size());
        try {
            seen.forEach(
                    (k, s) -> pending.add(map.submitToKey(k, new WidenSeen(s)).toCompletableFuture()));
        } catch (RuntimeException e) {
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        CounterMap.await(
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, map.getName());
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
