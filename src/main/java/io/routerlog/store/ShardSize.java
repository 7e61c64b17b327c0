package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/** The number of live pairs in the {@link PairShard}s an aggregation reads. */
final class ShardSize implements Aggregator<Map.Entry<Integer, PairShard>, Long>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private long size;

    @Override
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        PairShard shard = entry.getValue();
        if (shard != null) {
            size += shard.size((int) (System.currentTimeMillis() / 1000));
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        size += ((ShardSize) aggregator).size;
    }

    @Override
    public Long aggregate() {
        return size;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.SHARD_SIZE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(size);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        size = in.readLong();
    }
}
