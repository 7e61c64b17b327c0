package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code limit} counters of a {@link CounterMap} with the highest totals, highest first, then by key. A key lives
 * in one partition, so each member's partial answer holds whole totals and only its own top {@code limit} need travel:
 * the cut is exact.
 */
final class TopCounters<K>
        implements Aggregator<Map.Entry<K, MemberCounts>, List<Map.Entry<K, Long>>>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private int limit;
    private transient Map<K, Long> totals = new HashMap<>();

    /** For deserialization. */
    TopCounters() {}

    TopCounters(int limit) {
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<K, MemberCounts> entry) {
        if (entry.getValue() != null) {
            totals.merge(entry.getKey(), entry.getValue().sum(), Long::sum);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((TopCounters<K>) aggregator).totals.forEach((k, v) -> totals.merge(k, v, Long::sum));
    }

    @Override
    public List<Map.Entry<K, Long>> aggregate() {
        return top();
    }

    private List<Map.Entry<K, Long>> top() {
        List<Map.Entry<K, Long>> all = new ArrayList<>(totals.entrySet());
        all.sort(Comparator.<Map.Entry<K, Long>>comparingLong(Map.Entry::getValue)
                .reversed()
                .thenComparing(e -> String.valueOf(e.getKey())));
        List<Map.Entry<K, Long>> top = new ArrayList<>(Math.min(limit, all.size()));
        for (Map.Entry<K, Long> e : all.subList(0, Math.min(limit, all.size()))) {
            top.add(Map.entry(e.getKey(), e.getValue()));
        }
        return top;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TOP_COUNTERS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(limit);
        List<Map.Entry<K, Long>> top = top();
        out.writeInt(top.size());
        for (Map.Entry<K, Long> e : top) {
            out.writeObject(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        limit = in.readInt();
        int n = PairAggregation.size(in);
        totals = new HashMap<>();
        for (int i = 0; i < n; i++) {
            K key = in.readObject();
            if (key == null) {
                throw new IOException("missing key");
            }
            totals.put(key, in.readLong());
        }
    }
}
