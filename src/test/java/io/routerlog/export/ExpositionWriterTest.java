package io.routerlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.PackedCounters;
import io.routerlog.store.PackedCountersTest;
import io.routerlog.store.PairKey;
import io.routerlog.testing.Exposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streamed exposition says the same as the Prometheus client library would, in both text formats. */
class ExpositionWriterTest {
    private static final String[] LABELS = {"router", "client", "domain", "qtype"};
    /** Names as they come off the network: quotes, backslashes, line feeds, non-ASCII, empty. */
    private static final Map<PairKey, Long> PAIRS = new LinkedHashMap<>();

    static {
        PAIRS.put(new PairKey("r1", "192.168.1.10", "example.com", "A"), 1L);
        PAIRS.put(new PairKey("r1", "192.168.1.10", "a\"b\\c.example", "AAAA"), 42L);
        PAIRS.put(new PairKey("r1", "fd00::1", "line\nfeed.example", "TYPE65"), 7L);
        PAIRS.put(new PairKey("r1", "10.0.0.1", "bücher.例え.テスト", "HTTPS"), 1234567890123L);
        PAIRS.put(new PairKey("r1", "10.0.0.1", "", "A"), 3L);
        PAIRS.put(new PairKey("r1", "10.0.0.2", "tab\there}{,=.example", "MX"), 0L);
    }

    private static PackedCounters packed() {
        return PackedCountersTest.pack(PAIRS);
    }

    private static String ours(boolean openMetrics) {
        ExpositionWriter w = new ExpositionWriter(openMetrics);
        int written = w.counter("routerlog_dns_queries", "Queries \"per\" pair \\ with\nhelp", LABELS, packed());
        assertThat(written).isEqualTo(PAIRS.size());
        w.gauge("routerlog_dns_pairs", "Pairs", written);
        return new String(bytes(w), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ExpositionWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.writeTo(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(out.size()).isEqualTo(w.size());
        return out.toByteArray();
    }

    private static String library(boolean openMetrics) throws Exception {
        CounterSnapshot.Builder b =
                CounterSnapshot.builder().name("routerlog_dns_queries").help("Queries \"per\" pair \\ with\nhelp");
        PAIRS.forEach((k, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("router", k.router(), "client", k.client(), "domain", k.domain(), "qtype", k.qtype()))
                .value(v)
                .build()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricSnapshots s =
                new MetricSnapshots(b.build(), Families.gauge("routerlog_dns_pairs", "Pairs", PAIRS.size()));
        if (openMetrics) {
            new OpenMetricsTextFormatWriter(false, false).write(out, s);
        } else {
            PrometheusTextFormatWriter.create().write(out, s);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<Map<String, String>, Double> series(Exposition e, String name) {
        Map<Map<String, String>, Double> m = new HashMap<>();
        for (Exposition.Sample s : e.samples(name)) {
            m.put(s.labels(), s.value());
        }
        return m;
    }

    @Test
    void textFormatSaysWhatTheLibrarySays() throws Exception {
        Exposition mine = Exposition.parse(ours(false));
        Exposition theirs = Exposition.parse(library(false));
        assertThat(series(mine, "routerlog_dns_queries_total"))
                .hasSize(PAIRS.size())
                .isEqualTo(series(theirs, "routerlog_dns_queries_total"));
        assertThat(mine.value("routerlog_dns_pairs")).isEqualTo(PAIRS.size());
        assertThat(mine.types()).isEqualTo(theirs.types());
        assertThat(mine.value(
                        "routerlog_dns_queries_total",
                        "router",
                        "r1",
                        "client",
                        "10.0.0.1",
                        "domain",
                        "bücher.例え.テスト",
                        "qtype",
                        "HTTPS"))
                .isEqualTo(1234567890123.0);
        assertThat(mine.value(
                        "routerlog_dns_queries_total",
                        "router",
                        "r1",
                        "client",
                        "fd00::1",
                        "domain",
                        "line\nfeed.example",
                        "qtype",
                        "TYPE65"))
                .isEqualTo(7.0);
    }

    @Test
    void openMetricsSaysWhatTheLibrarySays() throws Exception {
        String text = ours(true);
        assertThat(text)
                .contains(
                        "# TYPE routerlog_dns_queries counter\n# HELP routerlog_dns_queries Queries \\\"per\\\" pair \\\\ with\\nhelp\n");
        Exposition mine = Exposition.parse(text);
        Exposition theirs = Exposition.parse(library(true));
        assertThat(series(mine, "routerlog_dns_queries_total"))
                .hasSize(PAIRS.size())
                .isEqualTo(series(theirs, "routerlog_dns_queries_total"));
    }

    @Test
    void headerLinesAreTheLibrarysByteForByte() throws Exception {
        for (boolean om : new boolean[] {false, true}) {
            // the library orders families by name, the writer as asked; within a family the lines are the same
            List<String> mine = ours(om).lines().filter(l -> l.startsWith("#")).toList();
            List<String> theirs = library(om)
                    .lines()
                    .filter(l -> l.startsWith("#") && !l.equals("# EOF"))
                    .toList();
            assertThat(mine).as(om ? "OpenMetrics" : "text").containsExactlyInAnyOrderElementsOf(theirs);
            assertThat(mine.get(0))
                    .startsWith(om ? "# TYPE routerlog_dns_queries " : "# HELP routerlog_dns_queries_total ");
            assertThat(mine.get(1))
                    .startsWith(om ? "# HELP routerlog_dns_queries " : "# TYPE routerlog_dns_queries_total ");
        }
    }

    @Test
    void countersWithAnotherNumberOfLabelsAreLeftOut() {
        ExpositionWriter w = new ExpositionWriter(false);
        int written = w.counter("routerlog_http_requests", "Requests", new String[] {"client", "status"}, packed());
        assertThat(written).isZero();
        String text = new String(bytes(w), StandardCharsets.UTF_8);
        assertThat(Exposition.parse(text).samples("routerlog_http_requests_total"))
                .isEmpty();
    }

    @Test
    void partsWriteOneFamilyEachTakenOnlyOnceTheOneBeforeIsPassedOn() {
        // the pairs in three parts (one empty); the sink sees every piece before the next part is asked for
        List<Map<PairKey, Long>> split = List.of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        int i = 0;
        for (Map.Entry<PairKey, Long> e : PAIRS.entrySet()) {
            split.get(i++ % 2 == 0 ? 0 : 2).put(e.getKey(), e.getValue());
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ExpositionWriter w = new ExpositionWriter(false, sink);
        List<Integer> sentBeforePart = new java.util.ArrayList<>();
        Iterable<PackedCounters> parts = () -> split.stream()
                .map(m -> {
                    w.flush();
                    sentBeforePart.add(sink.size());
                    return PackedCountersTest.pack(m);
                })
                .iterator();
        int written = w.counter("routerlog_dns_queries", "Queries \"per\" pair \\ with\nhelp", LABELS, parts);
        w.gauge("routerlog_dns_pairs", "Pairs", written);
        w.flush();
        assertThat(written).isEqualTo(PAIRS.size());
        assertThat(sentBeforePart).hasSize(3).isSorted();
        assertThat(sentBeforePart.get(2)).isGreaterThan(sentBeforePart.get(0));
        // the same family as from one pack, in another order
        String text = sink.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().sorted().toList())
                .isEqualTo(ours(false).lines().sorted().toList());
        assertThat(text.lines().filter(l -> l.startsWith("# TYPE routerlog_dns_queries_total")))
                .hasSize(1);
    }

    @Test
    void anEmptyFamilyIsJustItsHeader() {
        ExpositionWriter w = new ExpositionWriter(true);
        assertThat(w.counter("routerlog_dns_queries", "Queries", LABELS, new PackedCounters()))
                .isZero();
        assertThat(new String(bytes(w), StandardCharsets.UTF_8))
                .isEqualTo("# TYPE routerlog_dns_queries counter\n# HELP routerlog_dns_queries Queries\n");
    }
}
