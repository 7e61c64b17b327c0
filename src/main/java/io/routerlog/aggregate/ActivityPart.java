package io.routerlog.aggregate;

import io.routerlog.store.ActivityMap;
import io.routerlog.store.CounterMap;
import io.routerlog.store.LabelValuesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stream of queries per minute: the pairs part reports each pair's queries as it drains a batch ({@link #saw});
 * each flush files what was collected since the last one under the minute of that flush, per client and per router
 * ({@link ActivityMap}), and every {@value #WRITE_EVERY_MILLIS} ms (and on a flush someone waits for) the pending
 * counts are added to the store. What the store did not confirm stays pending under its minute, so a retried write
 * counts nothing twice and nothing in another minute. Between writes the counts of a minute merge into one entry per
 * client, so the flushes the receive path waits for stay as short as they were.
 *
 * <p>Each client and each router is one {@link Counter}, kept while it asks anything, with the key of its current
 * minute and the count under it as a primitive; a client is found through the pair's {@link PairMemo} entry. So a
 * flush of known clients makes no objects, and a counter makes one key a minute.
 */
final class ActivityPart implements FlushPart {
    private static final long MINUTE_MILLIS = 60_000;

    /** The queries of one client (or, with {@link ActivityMap#ALL_CLIENTS}, one router) not yet written. */
    static final class Counter {
        final String router;
        final String client;
        /** The router's total; null for a router's own counter. */
        @Nullable
        Counter total;
        /** Queries collected since the last flush. */
        long collected;
        /** The minute of {@link #key}, {@link Long#MIN_VALUE} before the first. */
        long minute = Long.MIN_VALUE;

        @Nullable
        LabelValuesKey key;
        /** Queries under {@link #key} not yet written. */
        long count;
        /** In {@link #pending}. */
        boolean pending;
        /** Counted since the last write. */
        boolean recent;
        /** No longer kept: whoever still holds it looks again. */
        boolean forgotten;

        Counter(String router, String client, @Nullable Counter total) {
            this.router = router;
            this.client = client;
            this.total = total;
        }
    }

    private final CounterMap<LabelValuesKey> map;
    private final int bound;
    private final ByClient<Counter> clients = new ByClient<>();
    private final Map<String, Counter> routers = new HashMap<>();
    /** Clients whose queries were collected since the last flush. */
    private final List<Counter> collected = new ArrayList<>();
    /** Counters with queries under their current minute not yet written. */
    private final List<Counter> pending = new ArrayList<>();
    /** Counts of earlier minutes that a write has not taken yet. */
    private final Map<LabelValuesKey, Long> earlier = new HashMap<>();

    private final ConfirmedWrite<LabelValuesKey, Long> writes = new ConfirmedWrite<>();

    /** Like the sightings, written every so often: a chart needs no flush-exact minute, the receive path its flushes. */
    static final long WRITE_EVERY_MILLIS = WriteEvery.MILLIS;

    private final WriteEvery every = new WriteEvery();

    ActivityPart(CounterMap<LabelValuesKey> map, int bound) {
        this.map = map;
        this.bound = bound;
    }

    /** A pair's queries went into the pending counts. */
    void saw(PairView pair, PairMemo.Entry memo, long queries) {
        Counter c = memo.activity;
        if (c == null || c.forgotten) {
            c = clients.get(pair.router(), pair.client());
            if (c == null) {
                c = new Counter(pair.router(), pair.client(), totalOf(pair.router()));
                Counter made = c;
                clients.computeIfAbsent(pair.router(), pair.client(), (r, a) -> made);
            }
            memo.activity = c;
        }
        Counter total = Objects.requireNonNull(c.total);
        if (total.forgotten) {
            // the router asked nothing for a while, this client kept something pending
            c.total = totalOf(c.router);
        }
        if (c.collected == 0) {
            collected.add(c);
        }
        c.collected += queries;
    }

    private Counter totalOf(String router) {
        return routers.computeIfAbsent(router, r -> new Counter(r, ActivityMap.ALL_CLIENTS, null));
    }

    @Override
    public void collect(Batch batch) {
        // the pairs part reports the queries as it drains the batch
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        long minute = Math.floorDiv(nowMillis, MINUTE_MILLIS);
        for (int i = 0, n = collected.size(); i < n; i++) {
            Counter c = collected.get(i);
            long queries = c.collected;
            c.collected = 0;
            file(c, minute, queries);
            file(Objects.requireNonNull(c.total), minute, queries);
        }
        collected.clear();
        if (!every.due(nowMillis)) {
            return;
        }
        writes.write(
                earlier,
                pending,
                c -> Objects.requireNonNull(c.key),
                c -> c.count,
                c -> {
                    c.count = 0;
                    c.pending = false;
                },
                values -> map.add(values, timeoutMillis));
        clients.removeIf(ActivityPart::forget);
        routers.values().removeIf(ActivityPart::forget);
        every.wrote(nowMillis);
    }

    /** Adds {@code queries} to the counter under {@code minute}, leaving what an earlier minute holds to be written. */
    private void file(Counter c, long minute, long queries) {
        if (c.minute != minute) {
            if (c.count > 0) {
                earlier.merge(Objects.requireNonNull(c.key), c.count, Long::sum);
            }
            LabelValuesKey key = ActivityMap.key(c.router, c.client, minute);
            // a clock set back finds the minute it left
            Long left = earlier.remove(key);
            c.key = key;
            c.minute = minute;
            c.count = left == null ? 0 : left;
        }
        c.count += queries;
        c.recent = true;
        if (!c.pending) {
            c.pending = true;
            pending.add(c);
        }
    }

    /** Whether a counter goes: it counted nothing since the last write (and then it is marked forgotten). */
    private static boolean forget(Counter c) {
        if (c.recent || c.pending || c.collected > 0) {
            c.recent = false;
            return false;
        }
        c.forgotten = true;
        c.key = null;
        c.minute = Long.MIN_VALUE;
        return true;
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    /** Clients and routers this part keeps (for tests). */
    int counters() {
        return clients.size() + routers.size();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        int size = earlier.size() + pending.size() + collected.size();
        if (size > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), size, 0);
            earlier.clear();
            for (Counter c : pending) {
                c.count = 0;
                c.pending = false;
            }
            for (Counter c : collected) {
                c.collected = 0;
            }
            pending.clear();
            collected.clear();
        }
    }
}
