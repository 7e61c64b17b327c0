package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/** Keeps the larger of the stored value and this one: a high-water mark any member may raise, in any order. */
public final class RaiseTo implements EntryProcessor<Object, Long, Void>, IdentifiedDataSerializable {
    private long value;

    /** For deserialization. */
    public RaiseTo() {}

    public RaiseTo(long value) {
        this.value = value;
    }

    @Override
    public Void process(Map.Entry<Object, Long> entry) {
        Long current = entry.getValue();
        if (current == null || current < value) {
            entry.setValue(value);
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.RAISE_TO;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(value);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        value = in.readLong();
    }
}
