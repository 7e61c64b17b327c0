package io.routerlog.aggregate;

import io.routerlog.geoip.GeoIp;
import io.routerlog.store.LabelValuesKey;
import io.routerlog.store.TunnelCounterKey;
import io.routerlog.store.TunnelLabels;
import io.routerlog.store.TunnelSessionCounts;
import io.routerlog.store.TunnelSessionKey;
import io.routerlog.store.TunnelStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DNSTT part of a flush: labels each sender with its GeoIP country and AS (once per sender and flush, never on
 * the receive path), writes the sessions seen and the counters, and raises the peak of active sessions. Used only
 * on the flush thread; what the store did not take stays here for the next flush, up to the same bound as the
 * query pairs for the counters and for the sessions each. Given up, they count no messages: those queries are in
 * the pairs already.
 */
final class TunnelPart implements FlushPart, TunnelCounts.Visitor {
    private final TunnelStore store;
    private final List<String> domains;
    private final Duration activeWindow;
    private final GeoIp geoIp;
    private final int bound;
    private final Map<TunnelCounterKey, Long> pendingCounters = new HashMap<>();
    private final Map<TunnelSessionKey, TunnelLabels> pendingSessions = new HashMap<>();
    /** Queries and bytes per session, for the sessions' own counters. */
    private final Map<LabelValuesKey, Long> pendingSessionCounts = new HashMap<>();

    /**
     * @param domains the tunnel domains in the order the parser numbers them
     * @param bound   the most pending counters, and the most pending sessions, kept while the store is away
     */
    TunnelPart(TunnelStore store, List<String> domains, Duration activeWindow, GeoIp geoIp, int bound) {
        this.store = store;
        this.domains = List.copyOf(domains);
        this.activeWindow = activeWindow;
        this.geoIp = geoIp;
        this.bound = bound;
    }

    @Override
    public void collect(Batch batch) {
        batch.tunnels.drain(this);
    }

    @Override
    public void sender(int domainIndex, String sender, long queries, long bytes, long invalid, long bytesOut) {
        TunnelLabels labels = labels(domainIndex, sender);
        add(TunnelCounterKey.QUERIES, labels, queries);
        add(TunnelCounterKey.BYTES_IN, labels, bytes);
        add(TunnelCounterKey.INVALID, labels, invalid);
        add(TunnelCounterKey.BYTES_OUT, labels, bytesOut);
    }

    @Override
    public void session(int domainIndex, long clientId, String sender, long queries, long bytes) {
        TunnelSessionKey key = new TunnelSessionKey(domains.get(domainIndex), clientId);
        pendingSessions.put(key, labels(domainIndex, sender));
        pendingSessionCounts.merge(TunnelStore.sessionCounter(TunnelStore.SESSION_QUERIES, key), queries, Long::sum);
        pendingSessionCounts.merge(TunnelStore.sessionCounter(TunnelStore.SESSION_BYTES_IN, key), bytes, Long::sum);
    }

    private TunnelLabels labels(int domainIndex, String sender) {
        String country = geoIp.country(sender);
        return new TunnelLabels(
                domains.get(domainIndex), country == null ? TunnelLabels.NO_COUNTRY : country, geoIp.asn(sender));
    }

    private void add(String counter, TunnelLabels labels, long n) {
        if (n != 0) {
            pendingCounters.merge(new TunnelCounterKey(counter, labels), n, Long::sum);
        }
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pendingCounters.size() > bound) {
            giveUp.gaveUp(store.counters().name(), pendingCounters.size(), 0);
            pendingCounters.clear();
        }
        if (pendingSessionCounts.size() > 2 * bound) {
            giveUp.gaveUp(store.sessionCounters().name(), pendingSessionCounts.size(), 0);
            pendingSessionCounts.clear();
        }
        if (pendingSessions.size() > bound) {
            giveUp.gaveUp(store.sessionsName(), pendingSessions.size(), 0);
            pendingSessions.clear();
        }
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        store.sessionCounters().add(pendingSessionCounts, timeoutMillis);
        if (!pendingSessions.isEmpty()) {
            store.touch(pendingSessions, nowMillis, timeoutMillis);
            pendingSessions.clear();
        }
        store.drainRemoved().forEach((labels, n) -> add(TunnelCounterKey.SESSIONS_REMOVED, labels, n));
        store.counters().add(pendingCounters, timeoutMillis);
        Map<TunnelLabels, Long> active = new HashMap<>();
        store.sessionCounts(nowMillis - activeWindow.toMillis()).forEach((k, n) -> {
            if (k.counter().equals(TunnelSessionCounts.ACTIVE)) {
                active.put(k.labels(), n);
            }
        });
        store.raisePeaks(active, timeoutMillis);
    }
}
