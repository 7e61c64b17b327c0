package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Counts, over the whole cluster, the sessions seen at or after a cut-off time, per labels. */
public final class ActiveTunnelSessions
        implements Aggregator<Map.Entry<TunnelSessionKey, TunnelSession>, Map<TunnelLabels, Long>>,
        IdentifiedDataSerializable {
    private long cutoffMillis;
    private Map<TunnelLabels, Long> counts = new HashMap<>();

    /** For deserialization. */
    public ActiveTunnelSessions() {
    }

    public ActiveTunnelSessions(long cutoffMillis) {
        this.cutoffMillis = cutoffMillis;
    }

    @Override
    public void accumulate(Map.Entry<TunnelSessionKey, TunnelSession> entry) {
        TunnelSession s = entry.getValue();
        if (s.lastSeenMillis() >= cutoffMillis) {
            counts.merge(s.labels(), 1L, Long::sum);
        }
    }

    @Override
    public void combine(Aggregator aggregator) {
        ((ActiveTunnelSessions) aggregator).counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public Map<TunnelLabels, Long> aggregate() {
        return counts;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.ACTIVE_TUNNEL_SESSIONS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(cutoffMillis);
        out.writeInt(counts.size());
        for (Map.Entry<TunnelLabels, Long> e : counts.entrySet()) {
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
            TunnelLabels l = new TunnelLabels();
            l.readData(in);
            counts.put(l, in.readLong());
        }
    }
}
