package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code routerlog_build_info{version}}: which routerlog a node runs, so dashboards can tell nodes apart. */
public final class BuildInfoCollector implements MultiCollector {
    private final String version;

    public BuildInfoCollector(String version) {
        this.version = version;
    }

    @Override
    public MetricSnapshots collect() {
        return new MetricSnapshots(InfoSnapshot.builder()
                .name("routerlog_build")
                .help("routerlog's version; always 1")
                .dataPoint(new InfoSnapshot.InfoDataPointSnapshot(Labels.of("version", version)))
                .build());
    }
}
