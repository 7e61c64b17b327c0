package io.routerlog.store;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The query log: the most recent DNS queries, in the Hazelcast map {@value Store#QUERY_LOG} of chunks of up to
 * {@value #CHUNK} packed entries, keyed by the member that wrote them ({@link #writer()}) and a number counting up.
 *
 * <p>Each member writes only its own chunks, from its flush thread: it fills its open chunk, then starts the next,
 * and removes its chunks beyond what the newest {@link #capacity()} entries need. A search shows exactly the newest
 * {@code capacity} entries of each writer (an entry's index is chunk * {@value #CHUNK} + position), none older than
 * the retention, and runs where the chunks live ({@link QueryLogSearch}). Chunks have backups like every map, so
 * the log survives the loss of a member; {@link #removeExpired()} removes the chunks of every writer (also of
 * members that are gone) whose newest entry is older than the retention.
 *
 * <p>A member that restarts with the same address continues its own log after its newest chunk.
 */
public final class QueryLog {
    private static final Logger LOG = LogManager.getLogger(QueryLog.class);

    /** Entries per chunk. */
    public static final int CHUNK = 1024;

    /** How long removing the chunks an append pushes out may take before the append goes on without them. */
    private static final long REMOVE_TIMEOUT_MILLIS = 10_000;

    /** Most entries one search returns. */
    public static final int MAX_LIMIT = 10_000;

    private final IMap<QueryLogChunkKey, QueryLogChunk> map;
    private final String writer;
    private final int size;
    private final long retentionMillis;
    private final LongSupplier clock;

    // the writer's state, guarded by this
    private boolean started;
    private long openChunk;
    private int position;
    private long lowestChunk;

    QueryLog(
            IMap<QueryLogChunkKey, QueryLogChunk> map,
            String writer,
            int size,
            Duration retention,
            LongSupplier clock) {
        this.map = map;
        this.writer = writer;
        this.size = size;
        this.retentionMillis = retention.toMillis();
        this.clock = clock;
    }

    /** This member's name as a writer: the host:port of its cluster address. */
    public String writer() {
        return writer;
    }

    /** Entries kept per writer ({@code --query-log-size}); 0 when the log is off. */
    public int capacity() {
        return size;
    }

    public boolean enabled() {
        return size > 0;
    }

    /** Name of the map. */
    public String name() {
        return map.getName();
    }

    /** Chunks one writer keeps: enough for its newest {@code size} entries wherever the open chunk stands. */
    int chunksKept() {
        return (size + CHUNK - 1) / CHUNK + 1;
    }

    /**
     * Appends entries, oldest first, to this member's log and waits until the store took them. Entries the store
     * confirmed are removed from {@code entries}, so after a failure it holds exactly what is still to be written
     * (writing it again does not duplicate anything).
     *
     * @throws StoreException when the store did not take everything in time
     */
    public synchronized void append(QueryLogEntries entries, long timeoutMillis) {
        if (size == 0 || entries.count() == 0) {
            entries.clear();
            return;
        }
        start();
        record Piece(long chunk, int first, int entries, AppendToChunk append) {}
        List<Piece> pieces = new ArrayList<>();
        byte[] b = entries.buffer();
        long chunk = openChunk;
        int pos = position;
        int off = 0;
        for (int i = 0; i < entries.count(); ) {
            int n = Math.min(CHUNK - pos, entries.count() - i);
            int start = off;
            for (int k = 0; k < n; k++) {
                off += QueryLogEntries.entryLength(b, off);
            }
            // a view of the buffer: run here, the append copies the entries once, into the chunk
            pieces.add(new Piece(chunk, pos, n, new AppendToChunk(pos, b, start, off - start, n)));
            i += n;
            pos += n;
            if (pos >= CHUNK) {
                chunk++;
                pos = 0;
            }
        }
        // the chunks this append pushes out leave first: their arrays take the new entries (ChunkArrays)
        removeBeyondSize(newestChunk(chunk, pos));
        List<CompletableFuture<Integer>> pending = new ArrayList<>(pieces.size());
        RuntimeException notSent = null;
        for (Piece p : pieces) {
            try {
                pending.add(map.submitToKey(new QueryLogChunkKey(writer, p.chunk), p.append)
                        .toCompletableFuture());
            } catch (RuntimeException e) {
                notSent = e;
                break;
            }
        }
        try {
            CounterMap.await(
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, map.getName());
        } finally {
            int confirmed = 0;
            boolean answered = notSent == null;
            for (int i = 0; i < pending.size(); i++) {
                CompletableFuture<Integer> f = pending.get(i);
                if (!f.isDone() || f.isCompletedExceptionally()) {
                    answered = false;
                    break;
                }
                Piece p = pieces.get(i);
                // the chunk's count after the append: where the next entry goes, even if the chunk had been lost
                int count = f.join();
                openChunk = count >= CHUNK ? p.chunk + 1 : p.chunk;
                position = count >= CHUNK ? 0 : count;
                confirmed += p.entries;
            }
            if (!answered) {
                // an append that did not answer may still run (or be retried) and read its range of the buffer:
                // leave that array to it, and go on with a copy
                entries.detach();
            }
            entries.dropFirst(confirmed);
        }
        if (notSent != null) {
            throw new StoreException("writing " + map.getName() + " failed: " + notSent, notSent);
        }
        removeBeyondSize(newestChunk(openChunk, position));
    }

    /** Appends entries given as records (tests, tools); see {@link #append(QueryLogEntries, long)}. */
    public void append(List<LoggedQuery> queries, long timeoutMillis) {
        QueryLogEntries entries = new QueryLogEntries();
        queries.forEach(entries::add);
        append(entries, timeoutMillis);
        if (entries.count() > 0) {
            throw new StoreException("writing " + map.getName() + " left " + entries.count() + " entries", null);
        }
    }

    /** Finds this writer's newest chunk, once: a restarted member continues its log. */
    private void start() {
        if (started) {
            return;
        }
        Set<QueryLogChunkKey> keys = map.keySet(new QueryLogPredicates.OfWriter(writer));
        long highest = -1;
        long lowest = Long.MAX_VALUE;
        for (QueryLogChunkKey k : keys) {
            highest = Math.max(highest, k.chunk());
            lowest = Math.min(lowest, k.chunk());
        }
        if (highest < 0) {
            openChunk = 0;
            position = 0;
            lowestChunk = 0;
        } else {
            QueryLogChunk newest = map.get(new QueryLogChunkKey(writer, highest));
            int count = newest == null ? 0 : newest.count();
            openChunk = count >= CHUNK ? highest + 1 : highest;
            position = count >= CHUNK ? 0 : count;
            lowestChunk = lowest;
            LOG.info("Continuing the query log of {} after chunk {} ({} chunks kept)", writer, highest, keys.size());
        }
        started = true;
    }

    /** The newest chunk holding entries when the next entry goes to chunk {@code open} at {@code at}. */
    private static long newestChunk(long open, int at) {
        return at == 0 ? open - 1 : open;
    }

    /**
     * Removes this writer's chunks that hold none of its newest {@code size} entries once {@code highest} is its
     * newest chunk, giving their arrays to the chunks to come ({@link RetireChunk}). Called before an append with
     * where the append ends (should the append fail, the log shows fewer entries until the next one), and after.
     */
    private void removeBeyondSize(long highest) {
        long removeUpTo = highest - chunksKept(); // inclusive
        if (lowestChunk > removeUpTo) {
            return;
        }
        // all at once, then waited for: the append that follows should find their arrays
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        try {
            for (long c = lowestChunk; c <= removeUpTo; c++) {
                removals.add(map.submitToKey(new QueryLogChunkKey(writer, c), RetireChunk.INSTANCE)
                        .toCompletableFuture());
            }
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                    .get(REMOVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            // hidden from searches anyway; what did not go is tried again after the next append
            LOG.debug("Could not remove old query log chunks: {}", e.toString());
        }
        for (CompletableFuture<Void> f : removals) {
            if (!f.isDone() || f.isCompletedExceptionally()) {
                break;
            }
            lowestChunk++;
        }
    }

    /**
     * Removes the chunks of every writer whose newest entry is older than the retention (what searches hide
     * anyway), so that the logs of members that are gone leave too.
     */
    public void removeExpired() {
        if (size == 0) {
            return;
        }
        try {
            map.removeAll(new QueryLogPredicates.OlderThan(clock.getAsLong() - retentionMillis));
        } catch (RuntimeException e) {
            throw new StoreException("removing expired entries of " + map.getName() + " failed: " + e, e);
        }
    }

    /**
     * The newest entries that match, over the whole cluster, newest first.
     *
     * @param before a cursor ({@link QueryLogPage#next()}): only entries older than it
     * @param after  a cursor ({@link QueryLogPage#newest()}): only entries newer than it (still newest first)
     * @param limit  most entries returned, 1 to {@value #MAX_LIMIT}
     * @throws IllegalArgumentException with a one-line message for a cursor this log did not issue or a bad limit
     */
    public QueryLogPage search(QueryLogFilter filter, @Nullable String before, @Nullable String after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        QueryLogCursor b = before == null ? null : QueryLogCursor.decode(before);
        QueryLogCursor a = after == null ? null : QueryLogCursor.decode(after);
        if (size == 0) {
            return new QueryLogPage(List.of(), null, after);
        }
        List<QueryLogSearch.Hit> hits;
        try {
            Map<String, Long> minIndex = new java.util.HashMap<>();
            map.aggregate(new QueryLogHeads()).forEach((w, h) -> minIndex.put(w, Math.max(0, h.top() - size)));
            long cutoff = clock.getAsLong() - retentionMillis;
            // one more than asked: tells whether there is a next page
            hits = map.aggregate(new QueryLogSearch(filter, b, a, limit + 1, cutoff, minIndex));
        } catch (RuntimeException e) {
            throw new StoreException("searching " + map.getName() + " failed: " + e, e);
        }
        List<LoggedQuery> items = new ArrayList<>(Math.min(limit, hits.size()));
        for (int i = 0; i < hits.size() && i < limit; i++) {
            items.add(hits.get(i).query());
        }
        String next = hits.size() > limit ? hits.get(limit - 1).cursor().encode() : null;
        String newest = hits.isEmpty() ? after : hits.get(0).cursor().encode();
        return new QueryLogPage(items, next, newest);
    }

    /** Entries the cluster keeps (at most {@link #capacity()} per writer, expired ones included until removed). */
    public long size() {
        if (size == 0) {
            return 0;
        }
        long n = 0;
        for (QueryLogHeads.Head h : map.aggregate(new QueryLogHeads()).values()) {
            n += Math.min(size, h.stored);
        }
        return n;
    }
}
