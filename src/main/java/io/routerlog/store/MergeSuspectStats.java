package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Adds a batch of {@link SuspectStats}, one per key, to what is stored, and sets each entry to expire when its bucket
 * has left the window. Sent once per partition with only the stats of that partition's keys; runs on the primary
 * and, unchanged, on the backups.
 */
public final class MergeSuspectStats
        implements EntryProcessor<SuspectKey, SuspectStats, Void>, IdentifiedDataSerializable {
    private Map<SuspectKey, SuspectStats> deltas;
    private long ttlMillis;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public MergeSuspectStats() {}

    MergeSuspectStats(Map<SuspectKey, SuspectStats> deltas, long ttlMillis) {
        this.deltas = deltas;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public Void process(Map.Entry<SuspectKey, SuspectStats> entry) {
        SuspectStats delta = deltas.get(entry.getKey());
        if (delta == null) {
            return null;
        }
        SuspectStats current = entry.getValue();
        // with the OBJECT in-memory format the stored object itself is added to
        SuspectStats merged = current == null ? new SuspectStats().add(delta) : current.add(delta);
        if (current == null) {
            ((ExtendedMapEntry<SuspectKey, SuspectStats>) entry).setValue(merged, ttlMillis, TimeUnit.MILLISECONDS);
        } else {
            ((ExtendedMapEntry<SuspectKey, SuspectStats>) entry).setValueWithoutChangingExpiryTime(merged);
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.MERGE_SUSPECT_STATS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(ttlMillis);
        out.writeInt(deltas.size());
        for (Map.Entry<SuspectKey, SuspectStats> e : deltas.entrySet()) {
            e.getKey().writeData(out);
            e.getValue().writeData(out);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        ttlMillis = in.readLong();
        int n = in.readInt();
        deltas = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            SuspectKey k = new SuspectKey();
            k.readData(in);
            SuspectStats s = new SuspectStats();
            s.readData(in);
            deltas.put(Objects.requireNonNull(k), s);
        }
    }
}
