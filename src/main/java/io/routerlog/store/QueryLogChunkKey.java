package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/**
 * Key of one chunk of the query log: the member that writes it ({@code host:port} of its cluster address) and the
 * chunk's number, counting up per writer.
 */
public final class QueryLogChunkKey implements IdentifiedDataSerializable {
    private String writer;
    private long chunk;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public QueryLogChunkKey() {}

    public QueryLogChunkKey(String writer, long chunk) {
        this.writer = Objects.requireNonNull(writer);
        this.chunk = chunk;
    }

    public String writer() {
        return writer;
    }

    public long chunk() {
        return chunk;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.QUERY_LOG_CHUNK_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(writer);
        out.writeLong(chunk);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        writer = in.readString();
        chunk = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueryLogChunkKey k && chunk == k.chunk && writer.equals(k.writer);
    }

    @Override
    public int hashCode() {
        return writer.hashCode() * 31 + Long.hashCode(chunk);
    }

    @Override
    public String toString() {
        return writer + "#" + chunk;
    }
}
