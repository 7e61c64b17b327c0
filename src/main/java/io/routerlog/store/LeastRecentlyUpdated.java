package io.routerlog.store;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.MapEvictionPolicyComparator;

/**
 * LRU by the last write. Hazelcast's own LRU orders by last access, which a scrape of {@code /metrics} touches
 * for every entry; routerlog's notion of "recently used" is "recently queried", which is the last write.
 */
public final class LeastRecentlyUpdated implements MapEvictionPolicyComparator<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(EntryView<Object, Object> a, EntryView<Object, Object> b) {
        return Long.compare(lastWrite(a), lastWrite(b));
    }

    private static long lastWrite(EntryView<Object, Object> e) {
        return Math.max(e.getLastUpdateTime(), e.getCreationTime());
    }
}
