package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * The query log search, run where the chunks live: each member scans the packed bytes of the chunks it holds, keeps
 * the newest {@code limit} matches in a bounded heap (a String only for the entries that enter it), and the caller
 * combines the members' heaps. The result is newest first.
 *
 * <p>An entry is visible when it is among the newest {@code size} of its writer (its index, chunk * {@link
 * QueryLog#CHUNK} + position, is at least the writer's {@code minIndex}) and not older than the retention cutoff.
 */
final class QueryLogSearch
        implements Aggregator<Map.Entry<QueryLogChunkKey, QueryLogChunk>, List<QueryLogSearch.Hit>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;

    /** A match with its place in the order. */
    record Hit(long chunk, int position, String writer, LoggedQuery query) {
        QueryLogCursor cursor() {
            return new QueryLogCursor(query.timeMillis(), writer, chunk, position);
        }
    }

    /** Oldest first: the heap's head is the match to drop. */
    static final Comparator<Hit> OLDEST_FIRST = (a, b) -> QueryLogCursor.compare(
            a.query.timeMillis(), a.writer, a.chunk, a.position, b.query.timeMillis(), b.writer, b.chunk, b.position);

    private QueryLogFilter filter = QueryLogFilter.ALL;
    private @Nullable QueryLogCursor before;
    private @Nullable QueryLogCursor after;
    private int limit;
    private long cutoffMillis;
    private Map<String, Long> minIndex = new HashMap<>();

    private transient QueryLogFilter.@Nullable Compiled compiled;
    private transient PriorityQueue<Hit> heap = new PriorityQueue<>(OLDEST_FIRST);
    /** One chunk's matches, before they are known to be from a chunk still in the log. */
    private transient PriorityQueue<Hit> chunkHits = new PriorityQueue<>(OLDEST_FIRST);

    /** For deserialization. */
    QueryLogSearch() {}

    QueryLogSearch(
            QueryLogFilter filter,
            @Nullable QueryLogCursor before,
            @Nullable QueryLogCursor after,
            int limit,
            long cutoffMillis,
            Map<String, Long> minIndex) {
        this.filter = filter;
        this.before = before;
        this.after = after;
        this.limit = limit;
        this.cutoffMillis = cutoffMillis;
        this.minIndex = minIndex;
    }

    @Override
    public void accumulate(Map.Entry<QueryLogChunkKey, QueryLogChunk> entry) {
        QueryLogChunk chunk = entry.getValue();
        if (chunk != null) {
            scan(entry.getKey(), chunk);
        }
    }

    /**
     * Adds the visible matches of one chunk. They are collected apart first and added only if the chunk was not
     * retired while they were read: a retired chunk's array may already hold another chunk's bytes ({@link
     * QueryLogChunk}), and its entries have left the log.
     */
    void scan(QueryLogChunkKey key, QueryLogChunk chunk) {
        int n = chunk.count(); // before data(): see QueryLogChunk
        byte[] b = chunk.data();
        long newest = chunk.newestMillis();
        String writer = key.writer();
        long c = key.chunk();
        if (n == 0 || newest < cutoffMillis || limit <= 0) {
            return;
        }
        QueryLogCursor a = after;
        if (a != null && a.compareTo(newest, writer, c, QueryLog.CHUNK) >= 0) {
            return; // nothing newer than the cursor
        }
        Hit heapOldest = heap.size() >= limit ? heap.peek() : null;
        if (heapOldest != null && olderThan(newest, writer, c, QueryLog.CHUNK, heapOldest)) {
            return; // nothing here would enter the heap
        }
        PriorityQueue<Hit> found = chunkHits;
        found.clear();
        try {
            collect(b, n, writer, c, heapOldest, found);
        } catch (RuntimeException e) {
            VarHandle.acquireFence();
            if (!chunk.retired()) {
                throw e;
            }
            return; // read another chunk's bytes
        }
        VarHandle.acquireFence(); // the reads above come before the check, as in StampedLock.validate
        if (chunk.retired()) {
            return;
        }
        for (Hit h : found) {
            heap.add(h);
            if (heap.size() > limit) {
                heap.poll();
            }
        }
    }

    /** Collects into {@code found} the newest {@code limit} matches of a chunk's {@code n} entries in {@code b}. */
    private void collect(byte[] b, int n, String writer, long c, @Nullable Hit heapOldest, PriorityQueue<Hit> found) {
        QueryLogFilter.Compiled f = compiled;
        if (f == null) {
            f = filter.compile();
            compiled = f;
        }
        QueryLogCursor a = after;
        QueryLogCursor bf = before;
        long first = c * QueryLog.CHUNK;
        long hiddenBelow = minIndex.getOrDefault(writer, 0L);
        Hit oldestKept = heapOldest;
        int off = 0;
        for (int p = 0; p < n; p++, off += QueryLogEntries.entryLength(b, off)) {
            if (first + p < hiddenBelow) {
                continue;
            }
            long t = QueryLogEntries.readLong(b, off);
            if (t < cutoffMillis) {
                continue;
            }
            if (bf != null && bf.compareTo(t, writer, c, p) <= 0) {
                continue; // not older than the cursor
            }
            if (a != null && a.compareTo(t, writer, c, p) >= 0) {
                continue; // not newer than the cursor
            }
            if (oldestKept != null && olderThan(t, writer, c, p, oldestKept)) {
                continue; // older than the limit newest already kept here or in the heap
            }
            if (!f.matches(b, off)) {
                continue;
            }
            found.add(new Hit(c, p, writer, QueryLogEntries.decode(b, off)));
            if (found.size() > limit) {
                found.poll();
            }
            if (found.size() >= limit) {
                Hit h = found.peek();
                oldestKept = heapOldest == null || OLDEST_FIRST.compare(h, heapOldest) > 0 ? h : heapOldest;
            }
        }
    }

    private static boolean olderThan(long t, String w, long c, int p, Hit h) {
        return QueryLogCursor.compare(t, w, c, p, h.query.timeMillis(), h.writer, h.chunk, h.position) < 0;
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        for (Hit h : ((QueryLogSearch) aggregator).heap) {
            heap.add(h);
            if (heap.size() > limit) {
                heap.poll();
            }
        }
    }

    /** The matches, newest first. */
    @Override
    public List<Hit> aggregate() {
        List<Hit> out = new ArrayList<>(heap);
        out.sort(OLDEST_FIRST.reversed());
        return out;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.QUERY_LOG_SEARCH;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(filter.client());
        out.writeString(filter.router());
        out.writeString(filter.qtype());
        out.writeString(filter.domain());
        writeCursor(out, before);
        writeCursor(out, after);
        out.writeInt(limit);
        out.writeLong(cutoffMillis);
        out.writeInt(minIndex.size());
        for (Map.Entry<String, Long> e : minIndex.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(heap.size());
        for (Hit h : heap) {
            out.writeString(h.writer);
            out.writeLong(h.chunk);
            out.writeInt(h.position);
            out.writeLong(h.query.timeMillis());
            out.writeString(h.query.router());
            out.writeString(h.query.client());
            out.writeString(h.query.domain());
            out.writeString(h.query.qtype());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = new QueryLogFilter(in.readString(), in.readString(), in.readString(), in.readString());
        before = readCursor(in);
        after = readCursor(in);
        limit = in.readInt();
        cutoffMillis = in.readLong();
        int n = in.readInt();
        minIndex = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            minIndex.put(string(in), in.readLong());
        }
        heap = new PriorityQueue<>(OLDEST_FIRST);
        int hits = in.readInt();
        for (int i = 0; i < hits; i++) {
            String writer = string(in);
            long chunk = in.readLong();
            int position = in.readInt();
            long time = in.readLong();
            heap.add(new Hit(
                    chunk, position, writer, new LoggedQuery(time, string(in), string(in), string(in), string(in))));
        }
    }

    private static void writeCursor(ObjectDataOutput out, @Nullable QueryLogCursor c) throws IOException {
        out.writeBoolean(c != null);
        if (c != null) {
            out.writeLong(c.timeMillis());
            out.writeString(c.writer());
            out.writeLong(c.chunk());
            out.writeInt(c.position());
        }
    }

    private static @Nullable QueryLogCursor readCursor(ObjectDataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long time = in.readLong();
        String writer = string(in);
        return new QueryLogCursor(time, writer, in.readLong(), in.readInt());
    }

    private static String string(ObjectDataInput in) throws IOException {
        String s = in.readString();
        if (s == null) {
            throw new IOException("missing string");
        }
        return s;
    }
}
