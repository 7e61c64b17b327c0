package io.routerlog.aggregate;

import io.routerlog.store.QueryLog;
import io.routerlog.store.QueryLogEntries;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream of the query log: the queries of every receive thread, merged in time order and appended to this
 * member's log. Pending entries are bounded by the log's size: what is older than the newest {@code size} would
 * leave the log as soon as it arrived, so it is skipped (and counted) rather than written. Expired chunks of the
 * whole cluster are removed every {@link #CLEANUP_MILLIS}.
 */
final class QueryLogPart implements FlushPart {
    static final long CLEANUP_MILLIS = 60_000;

    private final QueryLog log;
    private final FlushStats stats;
    /** One per batch collected since the last merge, each in time order. */
    private final List<QueryLogEntries> staged = new ArrayList<>();

    private int stagedCount;
    /** Merged, in time order, waiting for the store. */
    private final QueryLogEntries pending = new QueryLogEntries(64 * 1024);

    private long lastCleanupMillis;

    QueryLogPart(QueryLog log, FlushStats stats) {
        this.log = log;
        this.stats = stats;
    }

    @Override
    public void collect(Batch batch) {
        if (batch.queryLog.count() == 0) {
            return;
        }
        if (stagedCount == staged.size()) {
            staged.add(new QueryLogEntries(64 * 1024));
        }
        QueryLogEntries s = staged.get(stagedCount++);
        s.clear();
        stats.queryLogSkipped.add(batch.queryLog.drainTo(s));
        if (stagedCount >= 64) {
            merge(); // many collects without a write: keep the staging small
        }
    }

    /** Moves the staged entries into {@link #pending} in time order, and bounds it. */
    private void merge() {
        int n = stagedCount;
        int[] left = new int[n];
        int[] off = new int[n];
        for (int i = 0; i < n; i++) {
            left[i] = staged.get(i).count();
        }
        while (true) {
            int pick = -1;
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (left[i] > 0) {
                    long t = staged.get(i).timeAt(off[i]);
                    if (pick < 0 || t < oldest) {
                        pick = i;
                        oldest = t;
                    }
                }
            }
            if (pick < 0) {
                break;
            }
            QueryLogEntries from = staged.get(pick);
            pending.addEntry(from, off[pick]);
            off[pick] = from.offsetAfter(off[pick]);
            left[pick]--;
        }
        for (int i = 0; i < n; i++) {
            staged.get(i).clear();
        }
        stagedCount = 0;
        int beyond = pending.count() - log.capacity();
        if (beyond > 0) {
            pending.dropFirst(beyond);
            stats.queryLogSkipped.add(beyond);
        }
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        merge();
        log.append(pending, timeoutMillis);
        if (nowMillis - lastCleanupMillis >= CLEANUP_MILLIS) {
            log.removeExpired();
            lastCleanupMillis = nowMillis;
        }
    }

    /** Entries waiting for the store. */
    int pending() {
        return pending.count() + stagedEntries();
    }

    private int stagedEntries() {
        int n = 0;
        for (int i = 0; i < stagedCount; i++) {
            n += staged.get(i).count();
        }
        return n;
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        // never more than the log's size is pending: merge() skips the rest as it comes
        merge();
    }
}
