package io.routerlog.export;

import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.routerlog.store.CounterMap;
import io.routerlog.store.LabelValuesKey;
import java.util.List;

/**
 * A counter per stored label combination, such as {@code routerlog_firewall_packets_total} or
 * {@code routerlog_http_requests_total}: the entries this member owns, or all of them with {@code scope=cluster}.
 * Streamed: one series per stored entry.
 */
public final class LabelCountsCollector implements StreamedCollector {
    private final String name;
    private final String help;
    private final String[] labelNames;
    private final CounterMap<LabelValuesKey> counts;

    /** @param name the metric name without {@code _total} */
    public LabelCountsCollector(String name, String help, List<String> labelNames, CounterMap<LabelValuesKey> counts) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames.toArray(String[]::new);
        this.counts = counts;
    }

    @Override
    public void write(PrometheusScrapeRequest request, ExpositionWriter out) {
        out.counter(name, help, labelNames, Scope.of(request) == Scope.CLUSTER ? counts.packAll() : counts.packOwned());
    }
}
