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
 *
 * <p>The writer's instance is a view of a range of the writer's buffer, not a copy: run on this member, it copies
 * the entries once, into the chunk; sent to another, it writes only that range. The writer must leave the range
 * alone until the append is done (see {@link QueryLog#append(QueryLogEntries, long)}). An instance read from the
 * network owns its array, and a chunk that is empty may take that array as it is. One that starts a chunk (a
 * backup's, or a primary's on another member) reads its bytes into an array a retired chunk left ({@link
 * ChunkArrays}): the chunk it starts keeps that array until it is retired in turn, so the arrays of a member's
 * backups go round as those of its own chunks do, instead of piling up as kept arrays while every backup chunk
 * takes a new one.
 */
public final class AppendToChunk
        implements EntryProcessor<QueryLogChunkKey, QueryLogChunk, Integer>, IdentifiedDataSerializable {
    private int firstPosition;
    private int entries;
    private byte[] bytes;
    private int offset;
    private int length;
    /** Whether {@link #bytes} is this instance's own (read from the network), so a chunk may keep it. */
    private boolean own;

    /** For deserialization. */
    public AppendToChunk() {
        this.bytes = new byte[0];
    }

    /** Appends {@code entries} entries that take {@code length} bytes at {@code offset} of {@code bytes}. */
    AppendToChunk(int firstPosition, byte[] bytes, int offset, int length, int entries) {
        this.firstPosition = firstPosition;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
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
        int off = offset;
        for (int i = 0; i < skip; i++) {
            off += QueryLogEntries.entryLength(bytes, off);
        }
        int len = offset + length - off;
        if (own && off == 0 && chunk.count() == 0) { // own: the range is all of this instance's entries
            chunk.adopt(bytes, len, entries);
        } else {
            chunk.append(bytes, off, len, entries - skip);
        }
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
        // the form of writeByteArray, for the range only
        out.writeInt(length);
        out.write(bytes, offset, length);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        firstPosition = in.readInt();
        entries = in.readInt();
        int len = in.readInt(); // the form of readByteArray: -1 for none
        if (len <= 0) {
            bytes = new byte[0];
            len = 0;
        } else if (firstPosition == 0) {
            // a chunk is about to start with these entries and take the array: a kept one, or one with room to grow
            bytes = ChunkArrays.take(len, len);
        } else {
            bytes = new byte[len];
        }
        in.readFully(bytes, 0, len);
        offset = 0;
        length = len;
        own = true;
    }
}
