package io.routerlog.aggregate;

import io.routerlog.store.ActivityMap;
import io.routerlog.store.ClientKey;
import io.routerlog.store.CounterMap;
import io.routerlog.store.LabelValuesKey;
import io.routerlog.store.PairKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The stream of queries per minute: the pairs part reports each pair's queries as it drains a batch ({@link #saw});
 * each flush files what was collected since the last one under the minute of that flush, per client and per router
 * ({@link ActivityMap}), and every {@value #WRITE_EVERY_MILLIS} ms (and on a flush someone waits for) the pending
 * counts are added to the store. What the store did not confirm stays pending under its minute, so a retried write
 * counts nothing twice and nothing in another minute. Between writes the counts of a minute merge into one entry per
 * client, so the flushes the receive path waits for stay as short as they were.
 */
final class ActivityPart implements FlushPart {
    private static final long MINUTE_MILLIS = 60_000;

    private final CounterMap<LabelValuesKey> map;
    private final int bound;
    /** Queries per client collected since the last write. */
    private final Map<ClientKey, long[]> collected = new HashMap<>();

    private final Map<LabelValuesKey, Long> pending = new HashMap<>();

    /** Like the sightings, written every so often: a chart needs no flush-exact minute, the receive path its flushes. */
    static final long WRITE_EVERY_MILLIS = WriteEvery.MILLIS;

    private final WriteEvery every = new WriteEvery();

    ActivityPart(CounterMap<LabelValuesKey> map, int bound) {
        this.map = map;
        this.bound = bound;
    }

    /** A pair's queries went into the pending counts. */
    void saw(PairKey pair, long queries) {
        collected.computeIfAbsent(new ClientKey(pair.router(), pair.client()), k -> new long[1])[0] += queries;
    }

    @Override
    public void collect(Batch batch) {
        // the pairs part reports the queries as it drains the batch
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
        collected.forEach((c, n) -> {
            pending.merge(ActivityMap.key(c.router(), c.client(), minute), n[0], Long::sum);
            pending.merge(ActivityMap.key(c.router(), ActivityMap.ALL_CLIENTS, minute), n[0], Long::sum);
        });
        collected.clear();
        if (!every.due(nowMillis)) {
            return;
        }
        map.add(pending, timeoutMillis);
        every.wrote(nowMillis);
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() + collected.size() > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), pending.size() + collected.size(), 0);
            pending.clear();
            collected.clear();
        }
    }
}
