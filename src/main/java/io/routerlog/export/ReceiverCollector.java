package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** What this node's receive path saw: messages, drops, dnsmasq lines, programs, connections. */
public final class ReceiverCollector implements MultiCollector {
    static final String MESSAGES = "routerlog_syslog_messages";
    static final String DROPPED = "routerlog_syslog_dropped";
    static final String PROGRAMS = "routerlog_syslog_program_messages";
    static final String CONNECTIONS = "routerlog_syslog_connections";
    static final String CONNECTIONS_ACCEPTED = "routerlog_syslog_connections_accepted";
    static final String DNSMASQ_LINES = "routerlog_dnsmasq_lines";
    static final String IGNORED = "routerlog_dns_queries_ignored";
    static final String UDP_BUFFER = "routerlog_syslog_udp_receive_buffer_bytes";

    private final PipelineCounters counters;
    private final Supplier<? extends ConnectionStats> connections;
    private final IntSupplier udpReceiveBuffer;

    /**
     * @param connections      the TCP connection counts, or null before the listeners are up
     * @param udpReceiveBuffer the UDP socket receive buffer the kernel granted (0 without UDP listeners)
     */
    public ReceiverCollector(
            PipelineCounters counters, Supplier<? extends ConnectionStats> connections, IntSupplier udpReceiveBuffer) {
        this.counters = counters;
        this.connections = connections;
        this.udpReceiveBuffer = udpReceiveBuffer;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Long> messages = new TreeMap<>();
        counters.messagesByTransport().forEach((t, n) -> messages.put(t.label(), n));
        Map<String, Long> drops = new TreeMap<>();
        counters.dropsByReason().forEach((r, n) -> drops.put(r.label(), n));
        Map<String, Long> lines = new TreeMap<>();
        counters.dnsmasqLinesByKind().forEach((k, n) -> lines.put(k.label(), n));
        ConnectionStats c = connections.get();
        return new MetricSnapshots(
                Families.counter(MESSAGES, "Syslog messages received (frames), by transport", "transport", messages),
                Families.counter(
                        DROPPED,
                        "Messages (or connections) not used, by reason: " + DropReason.labels(),
                        "reason",
                        drops),
                Families.counter(
                        PROGRAMS,
                        "Syslog messages that parsed, by sending program (tag or APP-NAME; _none "
                                + "without one, _other beyond 100 distinct programs)",
                        "program",
                        counters.programs().snapshot()),
                Families.counter(DNSMASQ_LINES, "dnsmasq log lines, by kind", "kind", lines),
                Families.counter(
                        IGNORED, "Queries for names in --ignore-domain, counted here and stored nowhere", (double)
                                counters.ignoredQueries()),
                Families.gauge(CONNECTIONS, "Syslog TCP connections open now", c == null ? 0 : c.open()),
                Families.counter(
                        CONNECTIONS_ACCEPTED, "Syslog TCP connections accepted", c == null ? 0 : (double) c.accepted()),
                Families.gauge(
                        UDP_BUFFER,
                        "Receive buffer of each syslog UDP socket as granted by the kernel; below "
                                + "--udp-receive-buffer when net.core.rmem_max capped it",
                        udpReceiveBuffer.getAsInt()));
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(
                MESSAGES, DROPPED, PROGRAMS, DNSMASQ_LINES, IGNORED, CONNECTIONS, CONNECTIONS_ACCEPTED, UDP_BUFFER);
    }
}
