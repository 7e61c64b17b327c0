package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.CounterMap;
import io.routerlog.store.PairKey;
import java.util.List;

/**
 * The query counts per (client, domain, qtype) that this member owns, and the size of that map. Summing over
 * all members ({@code sum without(instance)}) counts each pair once.
 */
public final class DnsPairsCollector implements MultiCollector {
    static final String QUERIES = "routerlog_dns_queries";
    static final String PAIRS = "routerlog_dns_pairs";
    static final String EVICTED = "routerlog_dns_pairs_evicted";
    static final String EXPIRED = "routerlog_dns_pairs_expired";

    private final CounterMap<PairKey> pairs;

    public DnsPairsCollector(CounterMap<PairKey> pairs) {
        this.pairs = pairs;
    }

    @Override
    public MetricSnapshots collect() {
        return collect((PrometheusScrapeRequest) null);
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        Scope scope = Scope.of(request);
        CounterSnapshot.Builder queries = CounterSnapshot.builder().name(QUERIES)
                .help("DNS queries seen in the resolver log, per client address, queried domain and query type "
                        + "(pairs this node holds; bounded by --max-pairs, least recently queried evicted first)");
        long[] shown = {0};
        java.util.function.BiConsumer<PairKey, Long> add = (k, count) -> {
            shown[0]++;
            queries.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("client", k.client(), "domain", k.domain(), "qtype", k.qtype()))
                    .value(count).build());
        };
        if (scope == Scope.CLUSTER) {
            pairs.forEachAll(add);
        } else {
            pairs.forEachOwned(add);
        }
        return new MetricSnapshots(
                queries.build(),
                Families.gauge(PAIRS, "(client, domain, qtype) pairs this node holds in the store (the whole "
                        + "cluster's with scope=cluster)", shown[0]),
                Families.counter(EVICTED, "Pairs removed from the store to stay within --max-pairs, least recently "
                        + "queried first", pairs.evicted()),
                Families.counter(EXPIRED, "Pairs removed from the store after --retention without a query",
                        pairs.expired()));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(QUERIES, PAIRS, EVICTED, EXPIRED);
    }
}
