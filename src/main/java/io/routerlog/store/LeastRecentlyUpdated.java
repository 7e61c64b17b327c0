package io.routerlog.store;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.MapEvictionPolicyComparator;

/**
 * LRU by the last write, ties broken by the smaller count. Hazelcast's own LRU orders by last access, which a
 * scrape of {@code /metrics} touches for every entry; routerlog's notion of "recently used" is "recently queried",
 * which is the last write.
 *
 * <p>Hazelcast keeps entry times in whole seconds, so every entry written in the same second ties; a flood of new
 * names then evicts its own one-off entries before the pairs that were queried often.
 */
public final class LeastRecentlyUpdated implements MapEvictionPolicyComparator<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(EntryView<Object, Object> a, EntryView<Object, Object> b) {
        int byTime = Long.compare(lastWrite(a), lastWrite(b));
        return byTime != 0 ? byTime : Long.compare(count(a), count(b));
    }

    private static long lastWrite(EntryView<Object, Object> e) {
        return Math.max(e.getLastUpdateTime(), e.getCreationTime());
    }

    private static long count(EntryView<Object, Object> e) {
        return e.getValue() instanceof MemberCounts c ? c.sum() : 0;
    }
}
