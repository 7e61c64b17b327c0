package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DNSTT state: sessions with the time they were last seen (bounded, removed after the retention), the highest
 * active-session count per labels, and the counters (queries, bytes, invalid names, new sessions).
 */
public final class TunnelStore {
    private final IMap<TunnelSessionKey, TunnelSession> sessions;
    private final IMap<Object, Long> peaks;
    private final CounterMap<TunnelCounterKey> counters;

    TunnelStore(HazelcastInstance hz, String sessionsMap, String peaksMap, String countersMap) {
        this.sessions = hz.getMap(sessionsMap);
        this.peaks = hz.getMap(peaksMap);
        this.counters = new CounterMap<>(hz, countersMap);
    }

    public CounterMap<TunnelCounterKey> counters() {
        return counters;
    }

    /**
     * Records that these sessions were seen at {@code seenMillis}, with the labels of their latest query.
     *
     * @return how many of them are new, per labels
     */
    public Map<TunnelLabels, Long> touch(Map<TunnelSessionKey, TunnelLabels> seen, long seenMillis,
            long timeoutMillis) {
        Map<TunnelLabels, Set<TunnelSessionKey>> byLabels = new HashMap<>();
        seen.forEach((k, l) -> byLabels.computeIfAbsent(l, x -> new java.util.HashSet<>()).add(k));
        List<CompletableFuture<Map<TunnelSessionKey, Boolean>>> pending = new ArrayList<>();
        List<TunnelLabels> order = new ArrayList<>();
        try {
            for (Map.Entry<TunnelLabels, Set<TunnelSessionKey>> e : byLabels.entrySet()) {
                pending.add(sessions.submitToKeys(e.getValue(), new TouchTunnelSession(seenMillis, e.getKey()))
                        .toCompletableFuture());
                order.add(e.getKey());
            }
        } catch (RuntimeException e) {
            throw new StoreException("writing " + sessions.getName() + " failed: " + e, e);
        }
        CounterMap.await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis,
                sessions.getName());
        Map<TunnelLabels, Long> created = new HashMap<>();
        for (int i = 0; i < pending.size(); i++) {
            long n = pending.get(i).join().values().stream().filter(Boolean.TRUE::equals).count();
            if (n > 0) {
                created.merge(order.get(i), n, Long::sum);
            }
        }
        return created;
    }

    /** Sessions seen at or after {@code cutoffMillis}, per labels, over the whole cluster. */
    public Map<TunnelLabels, Long> activeCounts(long cutoffMillis) {
        return sessions.aggregate(new ActiveTunnelSessions(cutoffMillis));
    }

    /** Like {@link #activeCounts} for the sessions whose primary copy this member holds. */
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

    /** Raises each peak to the given count where that is higher. */
    public void raisePeaks(Map<TunnelLabels, Long> active, long timeoutMillis) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try {
            active.forEach((labels, n) -> pending.add(peaks.submitToKey(labels, new RaiseTo(n)).toCompletableFuture()));
        } catch (RuntimeException e) {
            throw new StoreException("writing " + peaks.getName() + " failed: " + e, e);
        }
        CounterMap.await(CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)), timeoutMillis,
                peaks.getName());
    }

    /** The highest active count seen per labels (the same on every member). */
    public Map<TunnelLabels, Long> peaks() {
        Map<TunnelLabels, Long> m = new HashMap<>();
        peaks.forEach((k, v) -> m.put((TunnelLabels) k, v));
        return m;
    }

    /** Sessions stored in the whole cluster. */
    public int sessionCount() {
        return sessions.size();
    }

    public TunnelSession session(TunnelSessionKey key) {
        return sessions.get(key);
    }
}
