package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts DNSTT sessions over the whole cluster in one pass: {@value #ACTIVE} per labels of their latest query,
 * for the sessions seen at or after a cut-off time, and {@value #STORED} per labels of their first query, for all.
 */
public final class TunnelSessionCounts
        implements Aggregator<Map.Entry<TunnelSessionKey, TunnelSession>, Map<TunnelCounterKey, Long>>,
                IdentifiedDataSerializable {
    public static final String ACTIVE = "active";
    public static final String STORED = "stored";

    private long cutoffMillis;
    private Map<TunnelCounterKey, Long> counts = new HashMap<>();

    /** For deserialization. */
    public TunnelSessionCounts() {}

    public TunnelSessionCounts(long cutoffMillis) {
        this.cutoffMillis = cutoffMillis;
    }

    @Override
    public void accumulate(Map.Entry<TunnelSessionKey, TunnelSession> entry) {
        TunnelSession s = entry.getValue();
        counts.merge(new TunnelCounterKey(STORED, s.firstLabels()), 1L, Long::sum);
        if (s.lastSeenMillis() >= cutoffMillis) {
            counts.merge(new TunnelCounterKey(ACTIVE, s.labels()), 1L, Long::sum);
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((TunnelSessionCounts) aggregator).counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public Map<TunnelCounterKey, Long> aggregate() {
        return counts;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TUNNEL_SESSION_COUNTS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(cutoffMillis);
        out.writeInt(counts.size());
        for (Map.Entry<TunnelCounterKey, Long> e : counts.entrySet()) {
            e.getKey().writeData(out);
            out.writeLong(e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        cutoffMillis = in.readLong();
        int n = in.readInt();
        counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            TunnelCounterKey k = new TunnelCounterKey();
            k.readData(in);
            counts.put(k, in.readLong());
        }
    }
}
