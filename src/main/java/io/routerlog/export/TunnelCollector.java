package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.TunnelCounterKey;
import io.routerlog.store.TunnelLabels;
import io.routerlog.store.TunnelSessionCounts;
import io.routerlog.store.TunnelStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * DNSTT tunnel metrics with the names and meaning of dnstt_exporter's, so its queries work unchanged:
 * {@code dnstt_active_clients}, {@code dnstt_peak_clients}, {@code dnstt_queries_total}, {@code dnstt_bytes_in_total}
 * and {@code dnstt_sessions_total}, labelled by {@code domain} and, when the GeoIP databases are given, by
 * {@code country} and {@code asn} of the address that sent the queries to the resolver.
 *
 * <p>From the query log, {@code dnstt_bytes_in_total} is reconstructed from the query name (a query log carries no
 * packet sizes), and there is no {@code dnstt_bytes_out_total}: responses are not in the log. Packet sources (pcap
 * files, live capture) count the real sizes of queries in {@code dnstt_bytes_in_total} and of responses in
 * {@code dnstt_bytes_out_total}, which is exported only for the label sets that packets gave.
 *
 * <p>It reads the DNS tunnel state of {@link TunnelStore}; the metric names keep the {@code dnstt_} of the protocol
 * whose clients they count, since dashboards and alerts use them.
 */
public final class TunnelCollector implements MultiCollector {
    static final String ACTIVE = "dnstt_active_clients";
    static final String PEAK = "dnstt_peak_clients";
    static final String QUERIES = "dnstt_queries";
    static final String BYTES_IN = "dnstt_bytes_in";
    static final String BYTES_OUT = "dnstt_bytes_out";
    static final String SESSIONS = "dnstt_sessions";
    static final String INVALID = "routerlog_dnstt_invalid_queries";

    private final TunnelStore tunnels;
    private final List<String> domains;
    private final boolean countryLabel;
    private final boolean asnLabel;
    private final Duration window;
    private final LongSupplier clock;

    public TunnelCollector(
            TunnelStore tunnels,
            List<String> domains,
            boolean countryLabel,
            boolean asnLabel,
            Duration window,
            LongSupplier clock) {
        this.tunnels = tunnels;
        this.domains = List.copyOf(domains);
        this.countryLabel = countryLabel;
        this.asnLabel = asnLabel;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        return collect((PrometheusScrapeRequest) null);
    }

    @Override
    public MetricSnapshots collect(@Nullable PrometheusScrapeRequest request) {
        Scope scope = Scope.of(request);
        long cutoff = clock.getAsLong() - window.toMillis();
        Map<TunnelLabels, Long> active = new HashMap<>();
        if (scope == Scope.CLUSTER) {
            tunnels.sessionCounts(cutoff).forEach((k, v) -> {
                if (k.counter().equals(TunnelSessionCounts.ACTIVE)) {
                    active.put(k.labels(), v);
                }
            });
        } else {
            active.putAll(tunnels.ownedActiveCounts(cutoff));
        }
        Map<String, Map<TunnelLabels, Long>> counters = new HashMap<>();
        for (String c : List.of(
                TunnelCounterKey.QUERIES,
                TunnelCounterKey.BYTES_IN,
                TunnelCounterKey.INVALID,
                TunnelCounterKey.SESSIONS_REMOVED,
                TunnelCounterKey.BYTES_OUT)) {
            counters.put(c, new HashMap<>());
        }
        BiConsumer<TunnelCounterKey, Long> add =
                (k, v) -> Objects.requireNonNull(counters.get(k.counter())).merge(k.labels(), v, Long::sum);
        if (scope == Scope.CLUSTER) {
            tunnels.counters().forEachAll(add);
        } else {
            tunnels.counters().forEachOwned(add);
        }
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> snapshots = new ArrayList<>(List.of(
                gauge(
                        ACTIVE,
                        "DNSTT sessions with a query within the last " + window.toSeconds() + " s "
                                + "(--dnstt-active-window); this node's share unless scraped with scope=cluster",
                        withZeros(active)),
                gauge(
                        PEAK,
                        "Highest number of active DNSTT sessions seen at once since the store started "
                                + "(cluster-wide)",
                        withZeros(tunnels.peaks())),
                counter(
                        QUERIES,
                        "DNSTT queries (names under the tunnel domain that decode to a session)",
                        withZeros(Objects.requireNonNull(counters.get(TunnelCounterKey.QUERIES)))),
                counter(
                        BYTES_IN,
                        "Bytes of DNSTT queries (DNS message size): measured in packet captures, "
                                + "reconstructed from the name for query log lines (12 + name + 4 + 11 for the EDNS0 record "
                                + "a dnstt client adds)",
                        withZeros(Objects.requireNonNull(counters.get(TunnelCounterKey.BYTES_IN)))),
                counter(
                        SESSIONS,
                        "Distinct DNSTT sessions (ClientIDs) seen, cluster-wide (the same on every node); "
                                + "one idle for longer than --retention counts again when it returns",
                        withZeros(tunnels.distinctSessions())),
                counter(
                        INVALID,
                        "Queries under a DNSTT domain whose name does not decode to a session",
                        withZeros(Objects.requireNonNull(counters.get(TunnelCounterKey.INVALID))))));
        Map<TunnelLabels, Long> out = Objects.requireNonNull(counters.get(TunnelCounterKey.BYTES_OUT));
        if (!out.isEmpty()) {
            snapshots.add(counter(
                    BYTES_OUT,
                    "Bytes of DNSTT responses (DNS message size) per address they were sent "
                            + "to, measured in packet captures (pcap files, --capture-interface); absent without them",
                    out));
        }
        return new MetricSnapshots(snapshots);
    }

    /** Without GeoIP labels every domain has a series from the start, at 0 until something is counted. */
    private Map<TunnelLabels, Long> withZeros(Map<TunnelLabels, Long> values) {
        if (!countryLabel && !asnLabel) {
            for (String d : domains) {
                values.putIfAbsent(new TunnelLabels(d, TunnelLabels.NO_COUNTRY, TunnelLabels.NO_ASN), 0L);
            }
        }
        return values;
    }

    private Labels labels(TunnelLabels l) {
        List<String> pairs = new ArrayList<>(6);
        pairs.add("domain");
        pairs.add(l.domain());
        if (countryLabel) {
            pairs.add("country");
            pairs.add(l.country());
        }
        if (asnLabel) {
            pairs.add("asn");
            pairs.add(Long.toString(l.asn()));
        }
        return Labels.of(pairs.toArray(String[]::new));
    }

    private GaugeSnapshot gauge(String name, String help, Map<TunnelLabels, Long> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((l, v) -> b.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels(l)).value(v).build()));
        return b.build();
    }

    private CounterSnapshot counter(String name, String help, Map<TunnelLabels, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((l, v) -> b.dataPoint(
                CounterDataPointSnapshot.builder().labels(labels(l)).value(v).build()));
        return b.build();
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(ACTIVE, PEAK, QUERIES, BYTES_IN, BYTES_OUT, SESSIONS, INVALID);
    }
}
