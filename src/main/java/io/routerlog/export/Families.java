package io.routerlog.export;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;

/** Short ways to build the metric families the collectors return. */
final class Families {
    private Families() {}

    /** A counter without labels. {@code name} is without the {@code _total} suffix the format adds. */
    static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
                .build();
    }

    /** A counter with one label, one series per map entry. */
    static CounterSnapshot counter(String name, String help, String label, Map<String, ? extends Number> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((v, n) -> b.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, v))
                .value(n.doubleValue())
                .build()));
        return b.build();
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder()
                .name(name)
                .help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
                .build();
    }
}
