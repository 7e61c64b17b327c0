package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/** Widens a client's stored first and last sighting to cover a new one (min and max: a retry changes nothing). */
final class WidenSeen implements EntryProcessor<ClientKey, ClientSeen, Void>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private ClientSeen seen = new ClientSeen();

    /** For deserialization. */
    WidenSeen() {}

    WidenSeen(ClientSeen seen) {
        this.seen = seen;
    }

    @Override
    public Void process(Map.Entry<ClientKey, ClientSeen> entry) {
        ClientSeen old = entry.getValue();
        ClientSeen widened = old == null ? seen : old.widen(seen);
        if (!widened.equals(old)) {
            entry.setValue(widened);
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.WIDEN_SEEN;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        seen.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        seen = new ClientSeen();
        seen.readData(in);
    }
}
