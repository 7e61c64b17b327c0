package io.routerlog.store;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the total of one pair from its partition's {@link PairShard}, where it lives. */
final class GetFromShard implements EntryProcessor<Integer, PairShard, Long>, ReadOnly, IdentifiedDataSerializable {
    private byte[] key;

    /** For deserialization. */
    GetFromShard() {
        this.key = new byte[0];
    }

    /** @param key the pair's key ({@link PairBytes}) */
    GetFromShard(byte[] key) {
        this.key = key;
    }

    @Override
    public Long process(Map.Entry<Integer, PairShard> entry) {
        PairShard shard = entry.getValue();
        return shard == null ? 0L : shard.get(key, (int) (System.currentTimeMillis() / 1000));
    }

    @Override
    public @Nullable EntryProcessor<Integer, PairShard, Long> getBackupProcessor() {
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.GET_FROM_SHARD;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(key);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        byte[] k = in.readByteArray();
        key = k == null ? new byte[0] : k;
    }
}
