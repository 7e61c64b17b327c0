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

    /** {@code routerlog_firewall_packets_total}: what firewall LOG rules logged. */
    public static LabelCountsCollector firewallPackets(CounterMap<LabelValuesKey> counts) {
        return new LabelCountsCollector(
                "routerlog_firewall_packets",
                "Packets logged by firewall LOG rules (kernel: ... IN=... SRC=...), per rule prefix, source, "
                        + "destination, protocol and destination port; bounded by --max-log-series",
                List.of("prefix", "src", "dst", "proto", "dport"),
                counts);
    }

    /** {@code routerlog_http_requests_total}: what HAProxy logged. */
    public static LabelCountsCollector httpRequests(CounterMap<LabelValuesKey> counts) {
        return new LabelCountsCollector(
                "routerlog_http_requests",
                "HTTP requests logged by HAProxy (option httplog), per client address, frontend, backend and "
                        + "status; bounded by --max-log-series",
                List.of("client", "frontend", "backend", "status"),
                counts);
    }

    /** {@code routerlog_dns_long_names_total}: queries for names longer than DNS allows. */
    public static LabelCountsCollector longNames(CounterMap<LabelValuesKey> counts) {
        return new LabelCountsCollector(
                "routerlog_dns_long_names",
                "Queries for names longer than the 253 characters of a DNS name, per router, client and the suffix "
                        + "stored for them (registrable domain, else last two labels); they count in "
                        + "routerlog_dns_queries_total under that suffix too; bounded by --max-log-series",
                List.of("router", "client", "domain"),
                counts);
    }

    @Override
    public void write(PrometheusScrapeRequest request, ExpositionWriter out) {
        out.counter(name, help, labelNames, Scope.of(request) == Scope.CLUSTER ? counts.packAll() : counts.packOwned());
    }
}
