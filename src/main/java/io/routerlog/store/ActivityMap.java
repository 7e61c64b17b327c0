package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Queries per minute, for the activity charts of the web page: a counter per (router, client, minute) and one per
 * (router, minute) with the client {@value #ALL_CLIENTS} (the router's total, so that the whole network's chart does
 * not depend on every client's entry surviving eviction). The minute is the flush's, as epoch minutes; keys are
 * {@link LabelValuesKey}s of those three values. Bounded like the pairs, least recently updated (so the oldest
 * minutes) evicted first, and kept for {@link #ttl} of the retention.
 */
public final class ActivityMap {
    /** The client of a router's total. */
    public static final String ALL_CLIENTS = "";

    /** The longest an entry is kept, whatever the retention: the series covers a day at most. */
    static final Duration LONGEST = Duration.ofDays(1);

    private final CounterMap<LabelValuesKey> counters;
    private final IMap<LabelValuesKey, MemberCounts> map;

    ActivityMap(HazelcastInstance hz, String name) {
        this.counters = new CounterMap<>(hz, name);
        this.map = hz.getMap(name);
    }

    /** How long entries are kept with {@code retention}: the retention, at most a day. */
    static Duration ttl(Duration retention) {
        return retention.compareTo(LONGEST) < 0 ? retention : LONGEST;
    }

    /** The counters, written by the flusher. */
    public CounterMap<LabelValuesKey> counters() {
        return counters;
    }

    /** The key of a client's (or, with {@link #ALL_CLIENTS}, its router's) queries in one minute. */
    public static LabelValuesKey key(String router, String client, long epochMinute) {
        return new LabelValuesKey(router, client, Long.toString(epochMinute));
    }

    /**
     * Queries per minute for {@code minutes} minutes from {@code fromMinute} (epoch minutes), oldest first: of one
     * client when {@code client} is given, else of every client; of one router when {@code router} is given.
     *
     * @throws IllegalArgumentException when {@code minutes} is not from 1 to 1440
     */
    public long[] series(@Nullable String router, @Nullable String client, long fromMinute, int minutes) {
        return map.aggregate(new ActivitySeries(router, client, fromMinute, minutes));
    }

    /** The most minutes {@link #series} covers. */
    public static int maxMinutes() {
        return ActivitySeries.MAX_MINUTES;
    }
}
