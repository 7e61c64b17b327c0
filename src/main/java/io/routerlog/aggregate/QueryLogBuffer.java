package io.routerlog.aggregate;

import io.routerlog.event.DnsQuery;
import io.routerlog.store.QueryLogEntries;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The queries one receive thread took for the query log since the last flush, packed, at most {@code max}: when
 * more arrive, the newest {@code max} are kept (the older ones would leave the log at once anyway) and the others
 * counted as skipped.
 *
 * <p>The entries are held in segments of an eighth of {@code max} (at least {@value #MIN_SEGMENT} entries): when the
 * newest is full and the others already hold {@code max} without the oldest, the oldest is dropped and reused. A
 * flood therefore holds at most {@code max} entries and one segment (it used to be twice {@code max}). Adding
 * allocates nothing once the segments have grown to their working size. After a drain, as many emptied segments
 * are kept for reuse as the busiest of the last {@value #QUIET_DRAINS} drains had (at least one): what a flood grew
 * goes after a quiet minute, while a rate that varies from flush to flush (early flushes under load) reuses its
 * segments instead of growing new ones, which the collector would have copied and promoted.
 */
final class QueryLogBuffer {
    /** Entries of the smallest segment: below this, segments would cost more than they save. */
    static final int MIN_SEGMENT = 1024;

    /** Drains in a row that needed fewer segments than are kept before the spare ones are let go. */
    static final int QUIET_DRAINS = 64;

    /** Bytes a new segment starts with per entry it will hold: about a typical entry, so it grows once at most. */
    static final int BYTES_PER_ENTRY = 64;

    private final int max;
    private final int segmentSize;
    /** Oldest first; entries are added to the last. */
    private final ArrayDeque<QueryLogEntries> segments = new ArrayDeque<>();
    /** Emptied segments for reuse. */
    private final ArrayDeque<QueryLogEntries> free = new ArrayDeque<>();

    private int held;
    private long skipped;
    /** Segments kept after a drain: the most the recent drains used. */
    private int keep = 1;
    /** Drains in a row that used fewer than {@link #keep}. */
    private int quiet;

    QueryLogBuffer(int max) {
        this.max = max;
        this.segmentSize = Math.max(1, Math.min(max, Math.max(MIN_SEGMENT, max / 8)));
    }

    void add(long timeMillis, DnsQuery q) {
        QueryLogEntries current = segments.peekLast();
        if (current == null || current.count() >= segmentSize) {
            current = nextSegment();
        }
        current.add(
                timeMillis,
                q.routerBuf(),
                q.routerOffset(),
                q.routerLength(),
                q.buf(),
                q.clientOffset(),
                q.clientLength(),
                q.domainOffset(),
                q.domainLength(),
                q.qtypeOffset(),
                q.qtypeLength());
        held++;
    }

    /** A segment to fill: the oldest when the others hold {@code max} entries without it, else an empty one. */
    private QueryLogEntries nextSegment() {
        QueryLogEntries oldest = segments.peekFirst();
        QueryLogEntries next;
        if (oldest != null && held - oldest.count() >= max) {
            segments.pollFirst();
            skipped += oldest.count();
            held -= oldest.count();
            oldest.clear();
            next = oldest;
        } else {
            QueryLogEntries reused = free.pollFirst();
            next = reused != null ? reused : new QueryLogEntries(segmentSize * BYTES_PER_ENTRY);
        }
        segments.addLast(next);
        return next;
    }

    /** Entries held: at most {@code max}. */
    int count() {
        return Math.min(max, held);
    }

    /** The segments holding entries now (tests). */
    List<QueryLogEntries> segmentsInUse() {
        return List.copyOf(segments);
    }

    /** Segments held, with those kept for reuse (tests). */
    int segments() {
        return segments.size() + free.size();
    }

    /**
     * Copies the entries, oldest first, to {@code to}, empties this buffer and returns the entries skipped since the
     * last call.
     */
    long drainTo(QueryLogEntries to) {
        int skip = Math.max(0, held - max);
        long s = skipped + skip;
        int used = segments.size();
        for (QueryLogEntries segment : segments) {
            int off = 0;
            for (int i = 0, n = segment.count(); i < n; i++, off = segment.offsetAfter(off)) {
                if (skip > 0) {
                    skip--;
                } else {
                    to.addEntry(segment, off);
                }
            }
            segment.clear();
        }
        while (!segments.isEmpty()) {
            free.addFirst(segments.pollLast());
        }
        if (used >= keep || ++quiet >= QUIET_DRAINS) {
            keep = Math.max(1, used);
            quiet = 0;
        }
        while (free.size() > keep) {
            free.pollLast();
        }
        held = 0;
        skipped = 0;
        return s;
    }
}
