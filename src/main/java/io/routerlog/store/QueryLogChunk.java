package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * Up to {@link QueryLog#CHUNK} query log entries of one writer, oldest first, packed as in {@link QueryLogEntries}.
 * Stored as an object: {@link AppendToChunk} appends to it in place.
 *
 * <p>A search may read the chunk on another thread while an append runs: the append writes the bytes (into a new,
 * larger array when needed; bytes already published are never written again) before it publishes the new {@link
 * #count} (volatile), and a reader reads the count before the array, so it never sees an entry that is not complete.
 *
 * <p>A chunk that leaves the log is {@linkplain #retire() retired}: its array goes to a chunk to come ({@link
 * ChunkArrays}), which writes it again. A search that read a chunk checks {@link #retired()} afterwards (after an
 * acquire fence, as a sequence lock's reader does) and drops what it read if the chunk was retired meanwhile:
 * those entries have left the log anyway.
 */
public final class QueryLogChunk implements IdentifiedDataSerializable {
    private byte[] data;
    private int used;
    /** Time of the last entry appended; written before {@link #count}. */
    private long newest;

    /** Entries written: the count only the writing thread (the partition thread of the entry) reads. */
    private int entries;

    private volatile int count;

    /** Set once, before the array is given away. */
    private volatile boolean retired;

    /** For deserialization, and a new chunk. */
    public QueryLogChunk() {
        this.data = new byte[0];
    }

    /** Entries in the chunk. */
    public int count() {
        return count;
    }

    /** The array of entries; read after {@link #count}. */
    byte[] data() {
        return data;
    }

    /**
     * Time of the newest (last) entry; 0 when empty. While an append runs, it may already be the time of an entry
     * the reader does not see yet: an upper bound of what it sees.
     */
    public long newestMillis() {
        return newest;
    }

    /** Time of the oldest (first) entry; 0 when empty. */
    public long oldestMillis() {
        return count == 0 ? 0 : QueryLogEntries.readLong(data, 0);
    }

    /** Largest array a chunk asks for ahead of need. */
    private static final int MAX_AHEAD = 1 << 24;

    /**
     * Appends {@code n} packed entries ({@code len} bytes at {@code off} of {@code from}). A chunk that has to grow
     * takes room for all the {@link QueryLog#CHUNK} entries it will hold, estimated from the entries it has, so
     * that it grows about once, not at each of the appends that fill it.
     */
    void append(byte[] from, int off, int len, int n) {
        byte[] b = data;
        int needed = used + len;
        if (needed > b.length) {
            int held = Math.max(1, entries + n);
            // the entries still to come, at the average size so far and an eighth more; none for a full chunk
            long rest = (long) needed * Math.max(0, QueryLog.CHUNK - held) / held;
            long ahead = Math.min(MAX_AHEAD, needed + rest + rest / 8);
            // a reused array, or a new one: never the array of a chunk still in the log
            byte[] grown = ChunkArrays.take(needed, (int) Math.max(256, ahead));
            System.arraycopy(b, 0, grown, 0, used);
            b = grown;
            System.arraycopy(from, off, b, used, len);
            data = b; // published by the write of count below
        } else {
            System.arraycopy(from, off, b, used, len);
        }
        publish(from, off, len, n);
    }

    /**
     * Takes {@code from}, whose first {@code len} bytes are exactly {@code n} packed entries, as the array of this
     * empty chunk; later appends fill the rest of it.
     */
    void adopt(byte[] from, int len, int n) {
        if (entries != 0) {
            throw new IllegalStateException("not empty");
        }
        data = from; // published by the write of count below
        publish(from, 0, len, n);
    }

    /**
     * Marks the chunk as out of the log and gives its array to the chunks to come. Called on the partition thread
     * once the chunk is no longer in the map; the chunk must not be appended to afterwards.
     */
    void retire() {
        if (!retired) {
            retired = true; // before the array can be handed out again
            ChunkArrays.release(data);
        }
    }

    /** Whether the chunk was retired: what a reader read from it since may be another chunk's bytes. */
    boolean retired() {
        return retired;
    }

    private void publish(byte[] from, int off, int len, int n) {
        int last = off;
        for (int i = 0; i < n - 1; i++) {
            last += QueryLogEntries.entryLength(from, last);
        }
        newest = Math.max(newest, QueryLogEntries.readLong(from, last));
        used += len;
        entries += n;
        count = entries; // publishes the bytes above
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.QUERY_LOG_CHUNK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        int n = count;
        int len = 0;
        byte[] b = data;
        for (int i = 0; i < n; i++) {
            len += QueryLogEntries.entryLength(b, len);
        }
        out.writeInt(n);
        out.writeInt(len);
        out.write(b, 0, len);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        int len = in.readInt();
        byte[] b = new byte[len];
        in.readFully(b);
        data = b;
        used = len;
        long t = 0;
        for (int i = 0, off = 0; i < n; i++) {
            t = Math.max(t, QueryLogEntries.readLong(b, off));
            off += QueryLogEntries.entryLength(b, off);
        }
        newest = t;
        entries = n;
        count = n;
    }
}
