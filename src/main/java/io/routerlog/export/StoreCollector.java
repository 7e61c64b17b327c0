package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.Store;
import java.util.List;

/** Health of the path into the store: flushes, their failures and duration, cluster size. */
public final class StoreCollector implements MultiCollector {
    static final String FLUSHES = "routerlog_store_flushes";
    static final String FAILURES = "routerlog_store_flush_failures";
    static final String DURATION = "routerlog_store_flush_duration_seconds";
    static final String FLUSH_TIME = "routerlog_store_flush_time_seconds";
    static final String FLUSH_CPU = "routerlog_store_flush_cpu_seconds";
    static final String LAST_FLUSH = "routerlog_store_last_flush_timestamp_seconds";
    static final String PENDING = "routerlog_store_pending_pairs";
    static final String MEMBERS = "routerlog_cluster_members";
    static final String UNEXPECTED = "routerlog_cluster_unexpected_members";
    static final String GIVEN_UP = "routerlog_store_given_up_entries";
    static final String QUERY_LOG = "routerlog_query_log_entries";
    static final String QUERY_LOG_SKIPPED = "routerlog_query_log_skipped_entries";

    private final Store store;
    private final FlushHealth flushes;

    public StoreCollector(Store store, FlushHealth flushes) {
        this.store = store;
        this.flushes = flushes;
    }

    @Override
    public MetricSnapshots collect() {
        return new MetricSnapshots(
                Families.counter(FLUSHES, "Batches of counts written to the store", (double) flushes.flushes()),
                Families.counter(FAILURES, "Flushes the store did not take (their counts are retried)", (double)
                        flushes.failures()),
                Families.gauge(DURATION, "How long the last flush took", flushes.lastDurationSeconds()),
                Families.counter(
                        FLUSH_TIME,
                        "Wall-clock time of all flushes (with the flushes total: the mean flush time)",
                        flushes.totalDurationSeconds()),
                Families.counter(
                        FLUSH_CPU,
                        "CPU time of the flush thread in all flushes (the store's own threads not included)",
                        flushes.totalCpuSeconds()),
                Families.gauge(
                        LAST_FLUSH,
                        "When the last successful flush ended, in Unix seconds",
                        flushes.lastSuccessEpochMillis() / 1000.0),
                Families.gauge(
                        PENDING, "Pairs whose counts wait for the store after a failed flush", flushes.pendingPairs()),
                Families.gauge(
                        MEMBERS,
                        "Members of the routerlog cluster this node sees (1 when single)",
                        store.clusterSize()),
                Families.counter(UNEXPECTED, "Members that joined although they are not in --cluster-members", (double)
                        store.unexpectedMembers()),
                Families.counter(
                        GIVEN_UP,
                        "Pending updates given up because the store did not take them for too "
                                + "long, by map (the messages behind them count in routerlog_syslog_dropped_total, reason "
                                + "store_unavailable)",
                        "map",
                        flushes.givenUp()),
                Families.gauge(
                        QUERY_LOG,
                        "Entries the query log of the whole cluster holds (at most --query-log-size per node)",
                        queryLogEntries()),
                Families.counter(
                        QUERY_LOG_SKIPPED,
                        "Queries not written to the query log because more than --query-log-size arrived "
                                + "within one flush (the newest are kept)",
                        (double) flushes.queryLogSkipped()));
    }

    /** NaN while the store cannot answer (a scrape still shows everything else). */
    private double queryLogEntries() {
        try {
            return (double) store.queryLog().size();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(
                FLUSHES,
                FAILURES,
                DURATION,
                FLUSH_TIME,
                FLUSH_CPU,
                LAST_FLUSH,
                PENDING,
                MEMBERS,
                UNEXPECTED,
                GIVEN_UP,
                QUERY_LOG,
                QUERY_LOG_SKIPPED);
    }
}
