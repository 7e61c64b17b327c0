package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Map;

/**
 * Removes a query log chunk that holds none of its writer's newest entries, on the primary and the backups, and
 * gives its array back for a chunk to come ({@link ChunkArrays}). Running it again (a retry) finds nothing.
 */
final class RetireChunk implements EntryProcessor<QueryLogChunkKey, QueryLogChunk, Void>, IdentifiedDataSerializable {
    static final RetireChunk INSTANCE = new RetireChunk();

    /** For deserialization. */
    RetireChunk() {}

    @Override
    public Void process(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
        QueryLogChunk chunk = entry.getValue();
        if (chunk != null) {
            entry.setValue(null); // removes the entry
            chunk.retire();
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.RETIRE_CHUNK;
    }

    @Override
    public void writeData(ObjectDataOutput out) {}

    @Override
    public void readData(ObjectDataInput in) {}
}
