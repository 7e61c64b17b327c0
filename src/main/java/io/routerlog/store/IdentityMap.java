package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** DHCP identities by router and client address, shared by the whole cluster. */
public final class IdentityMap {
    private final IMap<ClientKey, DhcpIdentity> map;

    IdentityMap(HazelcastInstance hz, String name) {
        this.map = hz.getMap(name);
    }

    public String name() {
        return map.getName();
    }

    /** Applies one update per address and waits until all are applied. */
    public void update(Map<ClientKey, UpdateIdentity> updates, long timeoutMillis) {
        if (updates.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>(updates.size());
        try {
            for (Map.Entry<ClientKey, UpdateIdentity> u : updates.entrySet()) {
                pending.add(map.submitToKey(u.getKey(), u.getValue()).toCompletableFuture());
            }
        } catch (RuntimeException e) {
            throw new StoreException("writing " + map.getName() + " failed: " + e, e);
        }
        CounterMap.await(
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, map.getName());
    }

    /** Every known identity, from every member: the same answer on each node. */
    public void forEach(BiConsumer<ClientKey, DhcpIdentity> action) {
        for (Map.Entry<ClientKey, DhcpIdentity> e : map.entrySet()) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    /** The identities of {@code keys} that have one, in one round trip per member. */
    public Map<ClientKey, DhcpIdentity> getAll(Set<ClientKey> keys) {
        return keys.isEmpty() ? Map.of() : map.getAll(keys);
    }

    public @Nullable DhcpIdentity get(String router, String ip) {
        return map.get(new ClientKey(router, ip));
    }

    public int size() {
        return map.size();
    }
}
