package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.CounterMap;
import io.routerlog.store.LabelKey;
import java.util.List;

/**
 * A counter per stored label combination, such as {@code routerlog_firewall_packets_total} or
 * {@code routerlog_http_requests_total}: the entries this member owns, or all of them with {@code scope=cluster}.
 */
public final class LabelCountsCollector implements MultiCollector {
    private final String name;
    private final String help;
    private final String[] labelNames;
    private final CounterMap<LabelKey> counts;

    /** @param name the metric name without {@code _total} */
    public LabelCountsCollector(String name, String help, List<String> labelNames, CounterMap<LabelKey> counts) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames.toArray(String[]::new);
        this.counts = counts;
    }

    @Override
    public MetricSnapshots collect() {
        return collect((PrometheusScrapeRequest) null);
    }

    @Override
    public MetricSnapshots collect(PrometheusScrapeRequest request) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        java.util.function.BiConsumer<LabelKey, Long> add = (k, n) -> {
            List<String> values = k.values();
            if (values.size() == labelNames.length) {
                b.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of(labelNames, values.toArray(String[]::new))).value(n).build());
            }
        };
        if (Scope.of(request) == Scope.CLUSTER) {
            counts.forEachAll(add);
        } else {
            counts.forEachOwned(add);
        }
        return new MetricSnapshots(b.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(name);
    }
}
