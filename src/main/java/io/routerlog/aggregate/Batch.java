package io.routerlog.aggregate;

import io.routerlog.event.DhcpEvent;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.LabelValuesKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one receive thread saw between two flushes. */
final class Batch {
    final PairCounts pairs;
    /**
     * Reply outcomes per (router, client, domain), the outcome's label in the place of the type: those not counted
     * with the query they followed ({@link PairCounts#addOutcome}).
     */
    final PairCounts replies;

    final TunnelCounts tunnels;
    final long[] outcomes = new long[ReplyOutcome.values().length];
    final List<DhcpEvent> dhcp = new ArrayList<>();
    /** Firewall packets and HTTP requests, per label values (rarer than DNS queries: plain maps will do). */
    final Map<LabelValuesKey, long[]> firewall = new HashMap<>();

    final Map<LabelValuesKey, long[]> http = new HashMap<>();
    /** Queries for over-long names, per (client, stored suffix of the name). */
    final Map<LabelValuesKey, long[]> longNames = new HashMap<>();
    /** Queries for the query log, with the time they were taken. */
    final QueryLogBuffer queryLog;

    Batch(int pairCapacity, int queryLogSize, RecentKeys recent) {
        this.pairs = new PairCounts(pairCapacity, LocalAggregator.NEW_PAIRS_PER_BATCH, recent);
        this.replies = new PairCounts(pairCapacity, LocalAggregator.NEW_PAIRS_PER_BATCH, recent);
        this.queryLog = new QueryLogBuffer(queryLogSize);
        this.tunnels = new TunnelCounts(Math.min(pairCapacity, LocalAggregator.MAX_OTHER_KEYS));
    }
}
