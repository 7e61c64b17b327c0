package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Removes from a {@link PairShard} what the retention no longer keeps, for shards no flush writes to; on the primary
 * and, with the same clock, on the backups.
 */
final class SweepShard implements EntryProcessor<Integer, PairShard, Void>, IdentifiedDataSerializable {
    private int now;
    private int retentionSeconds;

    /** For deserialization. */
    SweepShard() {}

    SweepShard(int now, int retentionSeconds) {
        this.now = now;
        this.retentionSeconds = retentionSeconds;
    }

    @Override
    public Void process(Map.Entry<Integer, PairShard> entry) {
        PairShard shard = entry.getValue();
        if (shard != null) {
            shard.sweep(now, retentionSeconds);
            entry.setValue(shard);
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.SWEEP_SHARD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(now);
        out.writeInt(retentionSeconds);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        now = in.readInt();
        retentionSeconds = in.readInt();
    }
}
