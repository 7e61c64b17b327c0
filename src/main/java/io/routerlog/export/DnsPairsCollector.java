package io.routerlog.export;

import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.routerlog.store.PackedCounters;
import io.routerlog.store.PairMap;

/**
 * The query counts per (router, client, domain, qtype) that this member owns, and the size of that map. Summing over
 * all members ({@code sum without(instance)}) counts each pair once. Streamed: one series per stored pair.
 */
public final class DnsPairsCollector implements StreamedCollector {
    static final String QUERIES = "routerlog_dns_queries";
    static final String PAIRS = "routerlog_dns_pairs";
    static final String EVICTED = "routerlog_dns_pairs_evicted";
    static final String EXPIRED = "routerlog_dns_pairs_expired";
    private static final String[] LABELS = {"router", "client", "domain", "qtype"};

    private final PairMap pairs;

    public DnsPairsCollector(PairMap pairs) {
        this.pairs = pairs;
    }

    @Override
    public void write(PrometheusScrapeRequest request, ExpositionWriter out) {
        // in parts, each written out before the next is packed: a scrape holds a megabyte, not the whole map
        Iterable<PackedCounters> packed =
                Scope.of(request) == Scope.CLUSTER ? pairs.packAllParts() : pairs.packOwnedParts();
        int shown = out.counter(
                QUERIES,
                "DNS queries seen in the resolver log, per router, client address, queried "
                        + "domain and query type (pairs this node holds; bounded by --max-pairs, least recently queried evicted "
                        + "first)",
                LABELS,
                packed);
        out.gauge(
                PAIRS,
                "(router, client, domain, qtype) pairs this node holds in the store (the whole cluster's with "
                        + "scope=cluster)",
                shown);
        out.counter(
                EVICTED,
                "Pairs removed from the store to stay within --max-pairs, least recently queried first",
                pairs.evicted());
        out.counter(EXPIRED, "Pairs removed from the store after --retention without a query", pairs.expired());
    }
}
