package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Records that a session was seen at a time with some labels. A time older than the stored one (a late flush
 * from another member) changes nothing.
 */
public final class TouchTunnelSession
        implements EntryProcessor<TunnelSessionKey, TunnelSession, Void>, IdentifiedDataSerializable {
    private long seenMillis;
    private TunnelLabels labels;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public TouchTunnelSession() {}

    public TouchTunnelSession(long seenMillis, TunnelLabels labels) {
        this.seenMillis = seenMillis;
        this.labels = labels;
    }

    @Override
    public Void process(Map.Entry<TunnelSessionKey, TunnelSession> entry) {
        TunnelSession current = entry.getValue();
        if (current == null) {
            entry.setValue(new TunnelSession(seenMillis, labels, seenMillis, labels));
            return null;
        }
        if (seenMillis >= current.lastSeenMillis()) {
            entry.setValue(new TunnelSession(current.firstSeenMillis(), current.firstLabels(), seenMillis, labels));
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TOUCH_TUNNEL_SESSION;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(seenMillis);
        labels.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        seenMillis = in.readLong();
        labels = new TunnelLabels();
        labels.readData(in);
    }
}
