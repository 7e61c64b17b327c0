package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/** Key of the DNSTT counter map: which counter ({@code queries}, {@code bytes_in}, ...) for which labels. */
public final class TunnelCounterKey implements IdentifiedDataSerializable {
    public static final String QUERIES = "queries";
    public static final String BYTES_IN = "bytes_in";
    public static final String INVALID = "invalid";
    /** Bytes of DNSTT responses; only packet sources count them (a query log has no responses). */
    public static final String BYTES_OUT = "bytes_out";
    /** Sessions removed from the store (evicted or expired), per labels of their first query. */
    public static final String SESSIONS_REMOVED = "sessions_removed";

    private String counter;
    private TunnelLabels labels;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public TunnelCounterKey() {}

    public TunnelCounterKey(String counter, TunnelLabels labels) {
        this.counter = Objects.requireNonNull(counter);
        this.labels = Objects.requireNonNull(labels);
    }

    public String counter() {
        return counter;
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
        return StoreSerialization.TUNNEL_COUNTER_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(counter);
        labels.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        counter = in.readString();
        labels = new TunnelLabels();
        labels.readData(in);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelCounterKey k && counter.equals(k.counter) && labels.equals(k.labels);
    }

    @Override
    public int hashCode() {
        return counter.hashCode() * 31 + labels.hashCode();
    }

    @Override
    public String toString() {
        return counter + ' ' + labels;
    }
}
