package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Widens the stored first and last sightings of a batch of clients, all of one partition, to cover new ones (min
 * and max: a retry changes nothing). Sent once per partition with that partition's spans; runs on the primary and,
 * unchanged, on the backups.
 */
final class WidenSeen implements EntryProcessor<ClientKey, ClientSeen, Void>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private Map<ClientKey, ClientSeen> spans = Map.of();

    /** For deserialization. */
    WidenSeen() {}

    WidenSeen(Map<ClientKey, ClientSeen> spans) {
        this.spans = spans;
    }

    @Override
    public Void process(Map.Entry<ClientKey, ClientSeen> entry) {
        ClientSeen seen = spans.get(entry.getKey());
        if (seen == null) {
            return null;
        }
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
        out.writeInt(spans.size());
        for (Map.Entry<ClientKey, ClientSeen> e : spans.entrySet()) {
            e.getKey().writeData(out);
            e.getValue().writeData(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        Map<ClientKey, ClientSeen> read = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            ClientKey k = new ClientKey();
            k.readData(in);
            ClientSeen s = new ClientSeen();
            s.readData(in);
            read.put(k, s);
        }
        spans = read;
    }
}
