package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Per writer of the query log: its newest chunk, the entries in it, and the entries of all its chunks. Reads only
 * the chunks' counters, never their entries.
 */
final class QueryLogHeads
        implements Aggregator<Map.Entry<QueryLogChunkKey, QueryLogChunk>, Map<String, QueryLogHeads.Head>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;

    /** One writer's newest chunk and its stored entries. */
    static final class Head {
        long chunk = -1;
        int inChunk;
        long stored;

        /** Index after the writer's newest entry: chunk * C + entries in it. */
        long top() {
            return chunk * QueryLog.CHUNK + inChunk;
        }

        void add(long c, int count) {
            stored += count;
            if (c > chunk) {
                chunk = c;
                inChunk = count;
            }
        }
    }

    private transient Map<String, Head> heads = new HashMap<>();

    @Override
    public void accumulate(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
        QueryLogChunk chunk = entry.getValue();
        if (chunk != null) {
            QueryLogChunkKey k = entry.getKey();
            heads.computeIfAbsent(k.writer(), w -> new Head()).add(k.chunk(), chunk.count());
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((QueryLogHeads) aggregator).heads.forEach((w, h) -> {
            Head mine = heads.computeIfAbsent(w, x -> new Head());
            long stored = mine.stored + h.stored;
            mine.add(h.chunk, h.inChunk);
            mine.stored = stored;
        });
    }

    @Override
    public Map<String, Head> aggregate() {
        return heads;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.QUERY_LOG_HEADS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(heads.size());
        for (Map.Entry<String, Head> e : heads.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue().chunk);
            out.writeInt(e.getValue().inChunk);
            out.writeLong(e.getValue().stored);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        heads = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String w = in.readString();
            Head h = new Head();
            h.chunk = in.readLong();
            h.inChunk = in.readInt();
            h.stored = in.readLong();
            if (w != null) {
                heads.put(w, h);
            }
        }
    }
}
