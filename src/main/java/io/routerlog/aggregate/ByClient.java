package io.routerlog.aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Something per client (router, address), found by the two strings without making a key object: a map of routers,
 * each a map of its clients. The flush thread looks clients up for every pair it has not met lately, so a look-up
 * that allocates nothing keeps those cheap too. Not thread-safe.
 */
final class ByClient<V> {
    private final Map<String, Map<String, V>> routers = new HashMap<>();
    private int size;

    @Nullable
    V get(String router, String client) {
        Map<String, V> clients = routers.get(router);
        return clients == null ? null : clients.get(client);
    }

    /** The value of the client, made by {@code make} (router, client) when there is none. */
    V computeIfAbsent(String router, String client, BiFunction<String, String, V> make) {
        Map<String, V> clients = routers.computeIfAbsent(router, r -> new HashMap<>());
        V v = clients.get(client);
        if (v == null) {
            v = make.apply(router, client);
            clients.put(client, v);
            size++;
        }
        return v;
    }

    /** Removes the values {@code gone} accepts, and the routers left without any. */
    void removeIf(Predicate<V> gone) {
        for (var it = routers.values().iterator(); it.hasNext(); ) {
            Map<String, V> clients = it.next();
            int before = clients.size();
            clients.values().removeIf(gone);
            size -= before - clients.size();
            if (clients.isEmpty()) {
                it.remove();
            }
        }
    }

    int size() {
        return size;
    }
}
