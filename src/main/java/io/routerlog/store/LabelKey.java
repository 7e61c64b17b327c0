package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Key of a counter identified by a fixed list of label values (firewall packets, HTTP requests). */
public final class LabelKey implements IdentifiedDataSerializable, LabelledKey {
    private String[] values;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public LabelKey() {
    }

    public LabelKey(String... values) {
        this.values = values.clone();
    }

    public List<String> values() {
        return List.of(values);
    }

    @Override
    public int labelCount() {
        return values.length;
    }

    @Override
    public String label(int i) {
        return values[i];
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.LABEL_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(values.length);
        for (String v : values) {
            out.writeString(v);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64) {
            throw new IOException("implausible label count " + n);
        }
        values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readString();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelKey k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return String.join(" ", values);
    }
}
