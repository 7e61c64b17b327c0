package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * What the store knows of a DNSTT session: when it was first seen and with which labels (which is where it counts in
 * {@code dnstt_sessions_total}), and when it was last seen and with which labels (where it counts as active).
 */
public final class TunnelSession implements IdentifiedDataSerializable {
    private long firstSeenMillis;
    private TunnelLabels firstLabels;
    private long lastSeenMillis;
    private TunnelLabels labels;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public TunnelSession() {}

    public TunnelSession(long firstSeenMillis, TunnelLabels firstLabels, long lastSeenMillis, TunnelLabels labels) {
        this.firstSeenMillis = firstSeenMillis;
        this.firstLabels = firstLabels;
        this.lastSeenMillis = lastSeenMillis;
        this.labels = labels;
    }

    public TunnelLabels firstLabels() {
        return firstLabels;
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
        firstLabels.writeData(out);
        out.writeLong(lastSeenMillis);
        labels.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        firstSeenMillis = in.readLong();
        firstLabels = new TunnelLabels();
        firstLabels.readData(in);
        lastSeenMillis = in.readLong();
        labels = new TunnelLabels();
        labels.readData(in);
    }
}
