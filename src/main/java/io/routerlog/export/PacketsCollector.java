package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.stats.PacketCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code routerlog_packets_total{result}}: what live capture (or an ingest node) read. A node that captures shows
 * it from the start; any other only once it read a packet, so that a node without packets has no such family.
 */
public final class PacketsCollector implements MultiCollector {
    private final PacketCounters counters;
    private final boolean capturing;

    /** @param capturing the node captures live, so the family is shown even before the first packet */
    public PacketsCollector(PacketCounters counters, boolean capturing) {
        this.counters = counters;
        this.capturing = capturing;
    }

    @Override
    public MetricSnapshots collect() {
        PacketCounters c = counters;
        if (c.packets.sum() == 0 && !capturing) {
            return new MetricSnapshots();
        }
        CounterSnapshot.Builder b = CounterSnapshot.builder()
                .name("routerlog_packets")
                .help("Captured packets by what became of them: query and response (DNS messages counted), "
                        + "not_dns, tcp_incomplete (a DNS message split over TCP segments) and malformed");
        Map<String, Long> v = new LinkedHashMap<>();
        v.put("query", c.queries.sum());
        v.put("response", c.responses.sum());
        v.put("not_dns", c.notDns.sum());
        v.put("tcp_incomplete", c.tcpIncomplete.sum());
        v.put("malformed", c.malformed.sum());
        v.forEach((k, n) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("result", k))
                .value(n)
                .build()));
        return new MetricSnapshots(b.build());
    }
}
