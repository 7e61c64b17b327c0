package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.CounterMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Resolver outcomes (forwarded, cached, blocked, NXDOMAIN, ...) that this member owns in the store. */
public final class DnsRepliesCollector implements MultiCollector {
    static final String REPLIES = "routerlog_dns_replies";

    private final CounterMap<String> replies;

    public DnsRepliesCollector(CounterMap<String> replies) {
        this.replies = replies;
    }

    @Override
    public MetricSnapshots collect() {
        return collect((PrometheusScrapeRequest) null);
    }

    @Override
    public MetricSnapshots collect(@Nullable PrometheusScrapeRequest request) {
        Map<String, Long> values = new TreeMap<>();
        for (ReplyOutcome o : ReplyOutcome.values()) {
            values.put(o.label(), 0L);
        }
        if (Scope.of(request) == Scope.CLUSTER) {
            replies.forEachAll(values::put);
        } else {
            replies.forEachOwned(values::put);
        }
        return new MetricSnapshots(Families.counter(
                REPLIES,
                "Resolver log lines about how a query was answered, by outcome: forwarded upstream, answered, "
                        + "nxdomain, nodata, servfail, refused, error, cached, cached_stale, blocked (address=/name/ "
                        + "rules answering 0.0.0.0, ::, NXDOMAIN or NODATA), local (hosts files, DHCP names, other "
                        + "address= rules), truncated, duplicate, bogus (DNSSEC)",
                "outcome",
                values));
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(REPLIES);
    }
}
