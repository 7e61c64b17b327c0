package io.routerlog.aggregate;

import io.routerlog.event.DnsQuery;
import io.routerlog.store.QueryLogEntries;

/**
 * The queries one receive thread took for the query log since the last flush, packed, at most {@code max}: when
 * more arrive, the newest {@code max} are kept (the older ones would leave the log at once anyway) and the others
 * counted as skipped.
 *
 * <p>Two segments of up to {@code max} entries each: when the current one is full, the older one is dropped and
 * reused. Adding allocates nothing once the segments have grown to their working size.
 */
final class QueryLogBuffer {
    private final int max;
    private QueryLogEntries older = new QueryLogEntries();
    private QueryLogEntries current = new QueryLogEntries();
    private long skipped;

    QueryLogBuffer(int max) {
        this.max = max;
    }

    void add(long timeMillis, DnsQuery q) {
        if (current.count() >= max) {
            skipped += older.count();
            QueryLogEntries t = older;
            t.clear();
            older = current;
            current = t;
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
    }

    /** Entries held: at most {@code max}. */
    int count() {
        return Math.min(max, older.count() + current.count());
    }

    /**
     * Copies the entries, oldest first, to {@code to}, empties this buffer and returns the entries skipped since the
     * last call.
     */
    long drainTo(QueryLogEntries to) {
        int skip = Math.max(0, older.count() + current.count() - max);
        long s = skipped + skip;
        int off = 0;
        for (int i = 0; i < older.count(); i++, off = older.offsetAfter(off)) {
            if (i >= skip) {
                to.addEntry(older, off);
            }
        }
        off = 0;
        for (int i = 0; i < current.count(); i++, off = current.offsetAfter(off)) {
            to.addEntry(current, off);
        }
        older.clear();
        current.clear();
        skipped = 0;
        return s;
    }
}
