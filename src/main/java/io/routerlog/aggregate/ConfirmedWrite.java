package io.routerlog.aggregate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The write of a part that keeps its current values in objects of its own (a counter per client, a slot per domain)
 * and the values of periods those objects left in a map ({@code earlier}). Both go to the store in one map, which
 * the store empties of what it confirmed; afterwards {@code earlier} and {@code pending} keep only what it did not
 * take, and each object it took is told so (to reset itself). So a retried write counts nothing twice. Used only on
 * the flush thread.
 *
 * @param <K> the store's key
 * @param <V> the store's value
 */
final class ConfirmedWrite<K, V> {
    /** The store: removes from the map what it confirmed, and may throw after taking some of it. */
    interface Store<K, V> {
        void write(Map<K, V> values);
    }

    private final Map<K, V> outgoing = new HashMap<>();

    /**
     * @param pending objects with a value not yet written; those the store took leave the list
     * @param key the store key of an object's value
     * @param value an object's value
     * @param taken told each object whose value the store took
     */
    <T> void write(
            Map<K, V> earlier,
            List<T> pending,
            Function<T, K> key,
            Function<T, V> value,
            Consumer<T> taken,
            Store<K, V> store) {
        outgoing.putAll(earlier);
        for (int i = 0, n = pending.size(); i < n; i++) {
            T t = pending.get(i);
            outgoing.put(key.apply(t), value.apply(t));
        }
        try {
            store.write(outgoing);
        } finally {
            // the store took what is no longer in outgoing
            earlier.keySet().retainAll(outgoing.keySet());
            pending.removeIf(t -> {
                if (outgoing.containsKey(key.apply(t))) {
                    return false;
                }
                taken.accept(t);
                return true;
            });
            outgoing.clear();
        }
    }
}
