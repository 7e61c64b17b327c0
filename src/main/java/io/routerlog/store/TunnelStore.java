package io.routerlog.store;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.query.Predicates;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * DNSTT state: sessions with when they were first and last seen (bounded, removed after the retention), the
 * highest active-session count per labels, and the counters (queries, bytes, invalid names, removed sessions).
 *
 * <p>The number of distinct sessions ever seen is derived, not counted on arrival: the sessions in the store plus
 * those removed from it. Both parts stay exact when the two sides of a network partition merge (the same session
 * seen on both sides becomes one entry), which a counter bumped on each side would not.
 */
public final class TunnelStore {
    private final IMap<TunnelSessionKey, TunnelSession> sessions;
    private final IMap<Object, Long> peaks;
    private final CounterMap<TunnelCounterKey> counters;
    private final CounterMap<LabelValuesKey> sessionCounters;

    /** The counters of one session ({@link #sessionCounter}): its queries and their bytes. */
    public static final String SESSION_QUERIES = "queries";

    public static final String SESSION_BYTES_IN = "bytes_in";
    private final ConcurrentHashMap<TunnelLabels, LongAdder> removed = new ConcurrentHashMap<>();

    TunnelStore(
            HazelcastInstance hz, String sessionsMap, String peaksMap, String countersMap, String sessionCountersMap) {
        this.sessions = hz.getMap(sessionsMap);
        this.peaks = hz.getMap(peaksMap);
        this.counters = new CounterMap<>(hz, countersMap);
        this.sessionCounters = new CounterMap<>(hz, sessionCountersMap);
        sessions.addLocalEntryListener(new RemovalCounter(), Predicates.alwaysTrue(), true);
    }

    /** Name of the sessions map. */
    public String sessionsName() {
        return sessions.getName();
    }

    public CounterMap<TunnelCounterKey> counters() {
        return counters;
    }

    /** Each session's own counters, by {@link #sessionCounter}. */
    public CounterMap<LabelValuesKey> sessionCounters() {
        return sessionCounters;
    }

    /** The key of one counter ({@link #SESSION_QUERIES}, {@link #SESSION_BYTES_IN}) of one session. */
    public static LabelValuesKey sessionCounter(String counter, TunnelSessionKey session) {
        return new LabelValuesKey(counter, session.domain(), Long.toHexString(session.clientId()));
    }

    /** The queries and bytes of each of {@code keys}: {@code [queries, bytes]}, zeros for a session without counts. */
    public Map<TunnelSessionKey, long[]> sessionTotals(Collection<TunnelSessionKey> keys) {
        Set<LabelValuesKey> wanted = new HashSet<>();
        for (TunnelSessionKey k : keys) {
            wanted.add(sessionCounter(SESSION_QUERIES, k));
            wanted.add(sessionCounter(SESSION_BYTES_IN, k));
        }
        Map<LabelValuesKey, Long> found = sessionCounters.getAll(wanted);
        Map<TunnelSessionKey, long[]> out = new HashMap<>();
        for (TunnelSessionKey k : keys) {
            out.put(k, new long[] {
                found.getOrDefault(sessionCounter(SESSION_QUERIES, k), 0L),
                found.getOrDefault(sessionCounter(SESSION_BYTES_IN, k), 0L)
            });
        }
        return out;
    }

    /** Records that these sessions were seen at {@code seenMillis}, with the labels of their latest query. */
    public void touch(Map<TunnelSessionKey, TunnelLabels> seen, long seenMillis, long timeoutMillis) {
        Map<TunnelLabels, Set<TunnelSessionKey>> byLabels = new HashMap<>();
        seen.forEach((k, l) -> byLabels.computeIfAbsent(l, x -> new HashSet<>()).add(k));
        List<CompletableFuture<Map<TunnelSessionKey, Void>>> pending = new ArrayList<>();
        try {
            for (Map.Entry<TunnelLabels, Set<TunnelSessionKey>> e : byLabels.entrySet()) {
                pending.add(sessions.submitToKeys(e.getValue(), new TouchTunnelSession(seenMillis, e.getKey()))
                        .toCompletableFuture());
            }
        } catch (RuntimeException e) {
            throw new StoreException("writing " + sessions.getName() + " failed: " + e, e);
        }
        CounterMap.await(
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, sessions.getName());
    }

    /**
     * Over the whole cluster: sessions seen at or after {@code cutoffMillis} per labels of their latest query
     * ({@link TunnelSessionCounts#ACTIVE}) and all stored sessions per labels of their first query
     * ({@link TunnelSessionCounts#STORED}).
     */
    public Map<TunnelCounterKey, Long> sessionCounts(long cutoffMillis) {
        return sessions.aggregate(new TunnelSessionCounts(cutoffMillis));
    }

    /** Sessions seen at or after {@code cutoffMillis} per labels, of those whose primary copy this member holds. */
    public Map<TunnelLabels, Long> ownedActiveCounts(long cutoffMillis) {
        Map<TunnelLabels, Long> counts = new HashMap<>();
        Set<TunnelSessionKey> keys = sessions.localKeySet();
        if (!keys.isEmpty()) {
            for (TunnelSession s : sessions.getAll(keys).values()) {
                if (s.lastSeenMillis() >= cutoffMillis) {
                    counts.merge(s.labels(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Sessions this member removed from the store (evicted, expired) since the last call, per first labels. */
    public Map<TunnelLabels, Long> drainRemoved() {
        Map<TunnelLabels, Long> out = new HashMap<>();
        removed.forEach((labels, n) -> {
            long v = n.sumThenReset();
            if (v != 0) {
                out.put(labels, v);
            }
        });
        return out;
    }

    /** Raises each peak to the given count where that is higher. */
    public void raisePeaks(Map<TunnelLabels, Long> active, long timeoutMillis) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try {
            active.forEach((labels, n) ->
                    pending.add(peaks.submitToKey(labels, new RaiseTo(n)).toCompletableFuture()));
        } catch (RuntimeException e) {
            throw new StoreException("writing " + peaks.getName() + " failed: " + e, e);
        }
        CounterMap.await(
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis, peaks.getName());
    }

    /** The highest active count seen per labels (the same on every member). */
    public Map<TunnelLabels, Long> peaks() {
        Map<TunnelLabels, Long> m = new HashMap<>();
        peaks.forEach((k, v) -> m.put((TunnelLabels) k, v));
        return m;
    }

    /**
     * Distinct sessions ever seen per labels of their first query, over the whole cluster (the same on every
     * member): those stored now plus those removed.
     */
    public Map<TunnelLabels, Long> distinctSessions() {
        Map<TunnelLabels, Long> m = new HashMap<>();
        sessionCounts(Long.MAX_VALUE).forEach((k, v) -> {
            if (k.counter().equals(TunnelSessionCounts.STORED)) {
                m.merge(k.labels(), v, Long::sum);
            }
        });
        counters.forEachAll((k, v) -> {
            if (k.counter().equals(TunnelCounterKey.SESSIONS_REMOVED)) {
                m.merge(k.labels(), v, Long::sum);
            }
        });
        return m;
    }

    /** Sessions stored in the whole cluster. */
    public int sessionCount() {
        return sessions.size();
    }

    /** One stored session: its key, the labels of its latest query, when it was first and last seen. */
    public record SessionInfo(TunnelSessionKey key, TunnelLabels labels, long firstSeenMillis, long lastSeenMillis) {}

    /** The {@code limit} sessions seen last in the whole cluster, newest first (one aggregation). */
    public List<SessionInfo> recentSessions(int limit) {
        return sessions.aggregate(new RecentSessions(limit));
    }

    public @Nullable TunnelSession session(TunnelSessionKey key) {
        return sessions.get(key);
    }

    /** Counts sessions that leave the store, so that the number ever seen survives their removal. */
    private final class RemovalCounter
            implements EntryEvictedListener<TunnelSessionKey, TunnelSession>,
                    EntryExpiredListener<TunnelSessionKey, TunnelSession> {
        @Override
        public void entryEvicted(EntryEvent<TunnelSessionKey, TunnelSession> event) {
            count(event);
        }

        @Override
        public void entryExpired(EntryEvent<TunnelSessionKey, TunnelSession> event) {
            count(event);
        }

        private void count(EntryEvent<TunnelSessionKey, TunnelSession> event) {
            TunnelSession s = event.getOldValue();
            if (s != null) {
                removed.computeIfAbsent(s.firstLabels(), l -> new LongAdder()).increment();
            }
        }
    }
}
