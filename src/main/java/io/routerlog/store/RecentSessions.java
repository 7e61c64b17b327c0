package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The {@code limit} DNSTT sessions seen last, newest first (ties by domain and session), where the sessions live:
 * each member keeps only its newest {@code limit}, so that is all that travels.
 */
final class RecentSessions
        implements Aggregator<Map.Entry<TunnelSessionKey, TunnelSession>, List<TunnelStore.SessionInfo>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;

    private static final Comparator<TunnelStore.SessionInfo> NEWEST_FIRST = Comparator.comparingLong(
                    TunnelStore.SessionInfo::lastSeenMillis)
            .reversed()
            .thenComparing(s -> s.key().domain())
            .thenComparingLong(s -> s.key().clientId());

    private int limit;
    /** The newest {@code limit} so far, the oldest of them at the head. */
    private transient PriorityQueue<TunnelStore.SessionInfo> newest = new PriorityQueue<>(NEWEST_FIRST.reversed());

    /** For deserialization. */
    RecentSessions() {}

    RecentSessions(int limit) {
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<TunnelSessionKey, TunnelSession> entry) {
        TunnelSession s = entry.getValue();
        if (s != null) {
            keep(new TunnelStore.SessionInfo(entry.getKey(), s.labels(), s.firstSeenMillis(), s.lastSeenMillis()));
        }
    }

    private void keep(TunnelStore.SessionInfo s) {
        newest.add(s);
        if (newest.size() > limit) {
            newest.poll();
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((RecentSessions) aggregator).newest.forEach(this::keep);
    }

    @Override
    public List<TunnelStore.SessionInfo> aggregate() {
        List<TunnelStore.SessionInfo> all = new ArrayList<>(newest);
        all.sort(NEWEST_FIRST);
        return all;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.RECENT_SESSIONS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(limit);
        out.writeInt(newest.size());
        for (TunnelStore.SessionInfo s : newest) {
            s.key().writeData(out);
            s.labels().writeData(out);
            out.writeLong(s.firstSeenMillis());
            out.writeLong(s.lastSeenMillis());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        limit = in.readInt();
        int n = PairAggregation.size(in);
        newest = new PriorityQueue<>(NEWEST_FIRST.reversed());
        for (int i = 0; i < n; i++) {
            TunnelSessionKey key = new TunnelSessionKey();
            key.readData(in);
            TunnelLabels labels = new TunnelLabels();
            labels.readData(in);
            newest.add(new TunnelStore.SessionInfo(key, labels, in.readLong(), in.readLong()));
        }
    }
}
