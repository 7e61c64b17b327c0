package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.routerlog.event.TunnelQuery;
import io.routerlog.export.TunnelCollector;
import io.routerlog.geoip.GeoIp;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import io.routerlog.store.TunnelCounterKey;
import io.routerlog.store.TunnelLabels;
import io.routerlog.store.TunnelSessionCounts;
import io.routerlog.testing.Exposition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DNSTT sessions through local aggregation into a real store, on a clock the test moves. */
class TunnelWindowTest {
    private static final TunnelLabels T =
            new TunnelLabels("t.example.com", TunnelLabels.NO_COUNTRY, TunnelLabels.NO_ASN);

    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private Store store;
    private Flusher flusher;
    private LocalAggregator aggregator;
    private PrometheusRegistry registry;

    @BeforeEach
    void start() {
        store = Store.start(StoreSettings.singleNode(2710, 1000, 1000, Duration.ofHours(1)));
        flusher = new Flusher(store, new PipelineCounters(), Duration.ofHours(1), 4096, clock::get)
                .withTunnels(List.of("t.example.com"), Duration.ofSeconds(30), GeoIp.none());
        aggregator = flusher.newAggregator();
        registry = new PrometheusRegistry();
        registry.register(new TunnelCollector(
                store.tunnels(), List.of("t.example.com"), false, false, Duration.ofSeconds(30), clock::get));
    }

    @AfterEach
    void stop() {
        flusher.close();
        store.close();
    }

    private void query(long clientId, String sender) {
        byte[] s = sender.getBytes(StandardCharsets.US_ASCII);
        aggregator.tunnelQuery(new TunnelQuery().set(0, s, 0, s.length, true, clientId, 100));
    }

    private void invalid(String sender) {
        byte[] s = sender.getBytes(StandardCharsets.US_ASCII);
        aggregator.tunnelQuery(new TunnelQuery().set(0, s, 0, s.length, false, 0, 0));
    }

    private void at(long secondsFromStart) {
        clock.set(1_800_000_000_000L + secondsFromStart * 1000);
        flusher.flushNow();
    }

    private Exposition scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    private double active() throws Exception {
        return scrape().value("dnstt_active_clients", "domain", "t.example.com");
    }

    private double peak() throws Exception {
        return scrape().value("dnstt_peak_clients", "domain", "t.example.com");
    }

    @Test
    void activeCountRisesAndFallsWithTheClockAndThePeakHolds() throws Exception {
        assertThat(active()).isZero();
        assertThat(peak()).isZero();

        query(1, "192.0.2.1");
        query(2, "192.0.2.1");
        query(2, "192.0.2.2");
        at(0);
        assertThat(active()).isEqualTo(2);
        assertThat(peak()).isEqualTo(2);

        query(3, "192.0.2.3");
        at(10);
        assertThat(active()).isEqualTo(3);
        assertThat(peak()).isEqualTo(3);

        query(1, "192.0.2.1");
        at(35); // sessions 2 (last seen at 0) leaves the 30 s window; 3 (at 10) and 1 (at 35) stay
        assertThat(active()).isEqualTo(2);
        assertThat(peak()).isEqualTo(3);

        at(41); // 3 was last seen 31 s ago
        assertThat(active()).isEqualTo(1);

        at(66);
        assertThat(active()).isZero();
        assertThat(peak()).as("the peak holds").isEqualTo(3);

        query(4, "192.0.2.4");
        at(70);
        assertThat(active()).isEqualTo(1);
        assertThat(peak()).isEqualTo(3);
    }

    @Test
    void countersCountQueriesBytesInvalidNamesAndDistinctSessions() throws Exception {
        for (int i = 0; i < 10; i++) {
            query(7, "192.0.2.7");
        }
        query(8, "192.0.2.8");
        invalid("192.0.2.9");
        at(0);
        query(7, "192.0.2.7"); // a known session: no new session
        at(5);
        Exposition m = scrape();
        assertThat(m.value("dnstt_queries_total", "domain", "t.example.com")).isEqualTo(12);
        assertThat(m.value("dnstt_bytes_in_total", "domain", "t.example.com")).isEqualTo(1200);
        assertThat(m.value("dnstt_sessions_total", "domain", "t.example.com")).isEqualTo(2);
        assertThat(m.value("routerlog_dnstt_invalid_queries_total", "domain", "t.example.com"))
                .isEqualTo(1);
        assertThat(m.samples("dnstt_bytes_out_total"))
                .as("not known from a query log")
                .isEmpty();
        assertThat(store.tunnels().distinctSessions()).isEqualTo(Map.of(T, 2L));
        assertThat(store.tunnels().sessionCounts(clock.get() - 30_000))
                .isEqualTo(Map.of(
                        new TunnelCounterKey(TunnelSessionCounts.ACTIVE, T), 2L,
                        new TunnelCounterKey(TunnelSessionCounts.STORED, T), 2L));
    }
}
