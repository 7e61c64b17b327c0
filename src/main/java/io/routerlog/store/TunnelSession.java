package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/** What the store knows of a DNSTT session: when it was first and last seen, and the labels of its last query. */
public final class TunnelSession implements IdentifiedDataSerializable {
    private long firstSeenMillis;
    private long lastSeenMillis;
    private TunnelLabels labels;

    /** For deserialization. */
    public TunnelSession() {
    }

    public TunnelSession(long firstSeenMillis, long lastSeenMillis, TunnelLabels labels) {
        this.firstSeenMillis = firstSeenMillis;
        this.lastSeenMillis = lastSeenMillis;
        this.labels = labels;
    }

    public long firstSeenMillis() {
        return firstSeenMillis;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    public TunnelLabels labels() {
        return labels;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TUNNEL_SESSION;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(firstSeenMillis);
        out.writeLong(lastSeenMillis);
        labels.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        firstSeenMillis = in.readLong();
        lastSeenMillis = in.readLong();
        labels = new TunnelLabels();
        labels.readData(in);
    }
}
