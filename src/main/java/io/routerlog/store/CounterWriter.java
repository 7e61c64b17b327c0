package io.routerlog.store;

import java.util.Map;

/** What the flusher needs of a counter map: its name, and adding a batch of deltas. */
public interface CounterWriter<K> {
    String name();

    /**
     * Adds the deltas and waits until they are applied; a confirmed delta is set to 0 (keys at 0 are not written),
     * so after a partial failure the non-zero deltas are exactly what still has to be written.
     *
     * @throws StoreException when some partition did not confirm in time
     */
    void addKeepingKeys(Map<K, Long> deltas, long timeoutMillis);
}
