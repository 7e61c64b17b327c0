package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.DnsQuery;
import io.routerlog.testing.OrdinaryTraffic;
import io.routerlog.testing.TunnelTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The detector against generated traffic with known truth: four hours of an ordinary home network (with the CDN,
 * ad, anti-virus, block-list, reverse, service and many-short-name lookups that resemble tunnels) and, in its second
 * hour, dnstt, dnscat2-like, three slow exfiltrations and a beacon. Each query is measured as the flush measures it,
 * in the buckets of a one-hour window, and every domain is scored each minute: the tunnels' domains, and only they,
 * must become suspects, with their clients. The same traffic squeezed into one bucket (a log replayed at once) must
 * give the same suspects. docs/DETECTION.md reports these numbers.
 */
class DetectionEvaluationTest {
    private static final Instant START = Instant.parse("2026-12-01T17:00:00Z");
    private static final DetectSettings SETTINGS = DetectSettings.defaults();
    private static final Set<String> TUNNEL_PATTERNS = Set.of("dnstt", "dnscat2", "exfil");

    /** One bucket of one domain: its counts, clients and sample. */
    private static final class Bucket {
        long queries;
        long unusual;
        final Set<String> clients = new TreeSet<>();
        final DistinctSample names = new DistinctSample();
    }

    /** What the detector found: per domain, when it first became a suspect, after how many of its queries. */
    record Found(
            String domain, Instant at, long queriesBefore, double score, List<String> reasons, Set<String> clients) {}

    private static final class Replay {
        final RegistrableDomains registrable = new RegistrableDomains();
        final NameShape shape = new NameShape();
        final AllowList allow = SETTINGS.allowList();
        final Map<String, TreeMap<Long, Bucket>> domains = new HashMap<>();
        final Map<String, Long> sent = new HashMap<>();
        final Map<String, Found> found = new TreeMap<>();
        final Map<String, Double> highest = new HashMap<>();

        void add(DnsQuery q, long bucket) {
            String name = q.name().toLowerCase(Locale.ROOT);
            int start = registrable.start(name);
            if (start < 0 || allow.allows(name, start)) {
                return;
            }
            String domain = name.substring(start);
            Bucket b = domains.computeIfAbsent(domain, d -> new TreeMap<>()).computeIfAbsent(bucket, t -> new Bucket());
            b.queries++;
            if (QueryTypes.isUnusual(q.qtype())) {
                b.unusual++;
            }
            b.clients.add(q.client());
            if (shape.measure(name, start - 1)) {
                b.names.add(shape.hash(), shape.pack());
            }
            sent.merge(domain, 1L, Long::sum);
        }

        /** Scores every domain on its buckets from {@code firstBucket} on, as of {@code now}. */
        void score(long firstBucket, Instant now) {
            domains.forEach((domain, buckets) -> {
                long queries = 0;
                long unusual = 0;
                DistinctSample names = new DistinctSample();
                Set<String> clients = new TreeSet<>();
                for (Bucket b : buckets.tailMap(firstBucket).values()) {
                    queries += b.queries;
                    unusual += b.unusual;
                    names.addAll(b.names);
                    clients.addAll(b.clients);
                }
                DomainActivity a = new DomainActivity(queries, unusual, 0, 0, names);
                TunnelScore.Verdict v = TunnelScore.of(a);
                highest.merge(domain, v.score(), Math::max);
                if (TunnelScore.suspect(a, v, SETTINGS.threshold()) && !found.containsKey(domain)) {
                    found.put(
                            domain,
                            new Found(domain, now, sent.getOrDefault(domain, 0L), v.score(), v.reasons(), clients));
                }
            });
        }
    }

    private static List<DnsQuery> traffic() {
        return DnsQuery.merge(
                OrdinaryTraffic.home(1, START, Duration.ofHours(4)),
                TunnelTraffic.hour(2, START.plus(Duration.ofHours(1))));
    }

    /** Per tunnel domain, its clients and first query, from the generators' ground truth. */
    private static Map<String, Set<String>> tunnels(List<DnsQuery> all) {
        RegistrableDomains registrable = new RegistrableDomains();
        Map<String, Set<String>> out = new TreeMap<>();
        for (DnsQuery q : all) {
            if (TUNNEL_PATTERNS.stream().anyMatch(p -> q.pattern().startsWith(p))) {
                String name = q.name().toLowerCase(Locale.ROOT);
                out.computeIfAbsent(name.substring(registrable.start(name)), d -> new TreeSet<>())
                        .add(q.client());
            }
        }
        return out;
    }

    @Test
    void inTimeEveryTunnelAndNothingElseBecomesASuspect() {
        List<DnsQuery> all = traffic();
        Map<String, Set<String>> truth = tunnels(all);
        assertThat(truth).hasSize(5);
        Replay r = new Replay();
        long minute = 60_000;
        long nextScore = START.toEpochMilli() + minute;
        for (DnsQuery q : all) {
            long t = q.time().toEpochMilli();
            while (t >= nextScore) {
                r.score(SETTINGS.firstBucket(nextScore), Instant.ofEpochMilli(nextScore));
                nextScore += minute;
            }
            r.add(q, SETTINGS.bucketOf(t));
        }
        r.score(SETTINGS.firstBucket(nextScore), Instant.ofEpochMilli(nextScore));

        assertThat(r.found.keySet()).containsExactlyElementsOf(truth.keySet());
        Map<String, Instant> firstQuery = new HashMap<>();
        RegistrableDomains registrable = new RegistrableDomains();
        for (DnsQuery q : all) {
            String name = q.name().toLowerCase(Locale.ROOT);
            int s = registrable.start(name);
            if (s >= 0) {
                firstQuery.putIfAbsent(name.substring(s), q.time());
            }
        }
        for (Found f : r.found.values()) {
            assertThat(f.clients()).as(f.domain()).isEqualTo(truth.get(f.domain()));
            System.out.printf(
                    Locale.ROOT,
                    "suspect %-22s after %4d queries, %3d min, score %4.1f %s%n",
                    f.domain(),
                    f.queriesBefore(),
                    Duration.between(firstQuery.get(f.domain()), f.at()).toMinutes(),
                    f.score(),
                    f.reasons());
        }
        printHighestOrdinary(r, truth.keySet());
    }

    @Test
    void replayedAtOnceTheSuspectsAreTheSame() {
        List<DnsQuery> all = traffic();
        Replay r = new Replay();
        for (DnsQuery q : all) {
            r.add(q, 0);
        }
        r.score(0, START);
        assertThat(r.found.keySet()).containsExactlyElementsOf(tunnels(all).keySet());
        printHighestOrdinary(r, r.found.keySet());
    }

    private static void printHighestOrdinary(Replay r, Set<String> tunnels) {
        List<Map.Entry<String, Double>> ordinary = new ArrayList<>(r.highest.entrySet());
        ordinary.removeIf(e -> tunnels.contains(e.getKey()));
        ordinary.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        System.out.printf(
                Locale.ROOT,
                "ordinary: %d domains, highest scores %s%n",
                ordinary.size(),
                ordinary.subList(0, Math.min(6, ordinary.size())));
        assertThat(ordinary.get(0).getValue()).isLessThan(SETTINGS.threshold());
    }
}
