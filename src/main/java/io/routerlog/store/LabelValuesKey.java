package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Key of a counter that is nothing but its label values, in a fixed order (firewall packets, HTTP requests, over-long
 * names). Other keys, such as {@link PairKey}, have fields of their own and show them as labels through
 * {@link LabelledKey}; this one is just the list.
 */
public final class LabelValuesKey implements IdentifiedDataSerializable, LabelledKey {
    private String[] values;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public LabelValuesKey() {}

    public LabelValuesKey(String... values) {
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
        return StoreSerialization.LABEL_VALUES_KEY;
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
        return o instanceof LabelValuesKey k && Arrays.equals(values, k.values);
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
