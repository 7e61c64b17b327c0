package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Appends packed entries to a query log chunk in place, on the primary and, unchanged, on the backups.
 *
 * <p>It carries the position its first entry takes in the chunk, so it applies once: when Hazelcast retries it
 * (a primary that died after applying it) or the writer sends it again after a failed flush, the entries the chunk
 * already holds are skipped.
 */
public final class AppendToChunk
        implements EntryProcessor<QueryLogChunkKey, QueryLogChunk, Integer>, IdentifiedDataSerializable {
    private int firstPosition;
    private int entries;
    private byte[] bytes;

    /** For deserialization. */
    public AppendToChunk() {
        this.bytes = new byte[0];
    }

    AppendToChunk(int firstPosition, byte[] bytes, int entries) {
        this.firstPosition = firstPosition;
        this.bytes = bytes;
        this.entries = entries;
    }

    /** Returns the chunk's entry count after the append. */
    @Override
    public Integer process(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
        QueryLogChunk chunk = entry.getValue();
        if (chunk == null) {
            chunk = new QueryLogChunk();
        }
        int skip = Math.max(0, chunk.count() - firstPosition);
        if (skip >= entries) {
            return chunk.count(); // applied before
        }
        int off = 0;
        for (int i = 0; i < skip; i++) {
            off += QueryLogEntries.entryLength(bytes, off);
        }
        chunk.append(bytes, off, bytes.length - off, entries - skip);
        // with the OBJECT in-memory format this stores the same object, and marks the entry as updated
        entry.setValue(chunk);
        return chunk.count();
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.APPEND_TO_CHUNK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(firstPosition);
        out.writeInt(entries);
        out.writeByteArray(bytes);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        firstPosition = in.readInt();
        entries = in.readInt();
        byte[] b = in.readByteArray();
        bytes = b == null ? new byte[0] : b;
    }
}
