package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.detect.DetectSettings;
import io.routerlog.store.Suspect;
import io.routerlog.store.SuspectMap;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Tunnel suspects for alerting: how many domains are suspects now, and the score of each, for at most {@value
 * #MAX_DOMAINS} domains (the highest scores), so a flood of suspects cannot flood Prometheus. Like the other
 * families, a node shows the domains whose entries it owns unless the scrape asks for the whole cluster. One search
 * serves the scrapes of {@value #REUSE_MILLIS} ms.
 */
public final class SuspectCollector implements MultiCollector {
    static final String SUSPECTS = "routerlog_dns_suspects";
    static final String SCORE = "routerlog_dns_suspect_score";
    static final int MAX_DOMAINS = 20;

    /**
     * A search reads every entry of the map, so its answer serves the scrapes of the next {@value #REUSE_MILLIS} ms:
     * a suspect's score moves with the buckets of the window, far slower than that.
     */
    static final long REUSE_MILLIS = 30_000;

    private record Found(long atMillis, List<Suspect> suspects) {}

    private volatile @Nullable Found lastOwned;
    private volatile @Nullable Found lastCluster;

    private final SuspectMap suspects;
    private final DetectSettings settings;
    private final LongSupplier clock;

    public SuspectCollector(SuspectMap suspects, DetectSettings settings, LongSupplier clock) {
        this.suspects = suspects;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        return collect((PrometheusScrapeRequest) null);
    }

    @Override
    public MetricSnapshots collect(@Nullable PrometheusScrapeRequest request) {
        boolean cluster = Scope.of(request) == Scope.CLUSTER;
        long now = clock.getAsLong();
        Found last = cluster ? lastCluster : lastOwned;
        List<Suspect> found;
        try {
            if (last != null && now - last.atMillis() < REUSE_MILLIS && now >= last.atMillis()) {
                found = last.suspects();
            } else {
                long from = settings.firstBucket(now);
                found = cluster
                        ? suspects.search(from, settings.threshold())
                        : suspects.searchOwned(from, settings.threshold());
                if (cluster) {
                    lastCluster = new Found(now, found);
                } else {
                    lastOwned = new Found(now, found);
                }
            }
        } catch (RuntimeException e) {
            // the store cannot answer: the scrape shows everything else
            return new MetricSnapshots(Families.gauge(SUSPECTS, help(), Double.NaN));
        }
        GaugeSnapshot.Builder scores = GaugeSnapshot.builder()
                .name(SCORE)
                .help("Tunnel score of each suspect domain (at most " + MAX_DOMAINS
                        + " domains, highest first; see /api/v1/suspects for their clients and reasons)");
        for (Suspect s : found.subList(0, Math.min(MAX_DOMAINS, found.size()))) {
            scores.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("domain", s.domain()))
                    .value(s.score())
                    .build());
        }
        return new MetricSnapshots(Families.gauge(SUSPECTS, help(), found.size()), scores.build());
    }

    private String help() {
        return "Registrable domains whose queries within --suspect-window score at least --suspect-threshold as "
                + "a DNS tunnel";
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(SUSPECTS, SCORE);
    }
}
