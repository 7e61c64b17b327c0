package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Adds one member's deltas of one flush to one partition's {@link PairShard}, in place, on the primary and,
 * unchanged, on the backups. It carries the writer's clock, bound and retention, so every copy makes the same
 * changes. The keys travel in the form the shard keeps ({@link PairBytes}).
 */
final class AddToShard implements EntryProcessor<Integer, PairShard, Void>, IdentifiedDataSerializable {
    private UUID member;
    private long flush;
    private int now;
    private int bound;
    private int retentionSeconds;
    private ShardDeltas deltas;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    AddToShard() {}

    AddToShard(UUID member, long flush, int now, int bound, int retentionSeconds, ShardDeltas deltas) {
        this.member = member;
        this.flush = flush;
        this.now = now;
        this.bound = bound;
        this.retentionSeconds = retentionSeconds;
        this.deltas = deltas;
    }

    @Override
    public Void process(Map.Entry<Integer, PairShard> entry) {
        PairShard shard = entry.getValue();
        if (shard == null) {
            shard = new PairShard();
        }
        if (shard.add(member, flush, now, bound, retentionSeconds, deltas)) {
            // with the OBJECT in-memory format this stores the same object
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
        return StoreSerialization.ADD_TO_SHARD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(member.getMostSignificantBits());
        out.writeLong(member.getLeastSignificantBits());
        out.writeLong(flush);
        out.writeInt(now);
        out.writeInt(bound);
        out.writeInt(retentionSeconds);
        deltas.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        member = new UUID(in.readLong(), in.readLong());
        flush = in.readLong();
        now = in.readInt();
        bound = in.readInt();
        retentionSeconds = in.readInt();
        deltas = ShardDeltas.readData(in);
    }
}
