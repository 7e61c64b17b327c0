package io.routerlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.routerlog.bytes.Bytes;
import io.routerlog.export.DhcpIdentitiesCollector;
import io.routerlog.export.DnsPairsCollector;
import io.routerlog.export.MetricsExposition;
import io.routerlog.store.ClientKey;
import io.routerlog.store.DhcpIdentity;
import io.routerlog.store.PairKey;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import io.routerlog.store.UpdateIdentity;
import io.routerlog.testing.Exposition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever names arrive from the network, /metrics stays valid exposition format: arbitrary bytes, decoded as the
 * receive path decodes them, become client, domain, query type, MAC and hostname; the scrape (Prometheus text and
 * OpenMetrics) must parse strictly and give the values back unchanged.
 */
class ExpositionFuzzTest {
    private static Store store;
    private static MetricsExposition metrics;

    @BeforeAll
    static void start() {
        store = Store.start(StoreSettings.singleNode(2710, 2710, Duration.ofHours(1)));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new DhcpIdentitiesCollector(store.identities()));
        metrics = new MetricsExposition(registry, List.of(new DnsPairsCollector(store.pairs())));
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    private static String name(FuzzedDataProvider data) {
        byte[] b = data.consumeBytes(data.consumeInt(1, 80));
        return Bytes.decode(b, 0, b.length);
    }

    @FuzzTest(maxDuration = "5m")
    void namesFromTheNetwork(FuzzedDataProvider data) throws Exception {
        String client = name(data);
        String domain = name(data);
        String qtype = name(data);
        String mac = name(data);
        String hostname = data.remainingBytes() > 0 ? name(data) : "";
        Map<PairKey, Long> pair = new HashMap<>(Map.of(new PairKey("r1", client, domain, qtype), 7L));
        store.pairs().add(pair, 30_000);
        store.identities()
                .update(
                        Map.of(new ClientKey("r1", client), UpdateIdentity.set(new DhcpIdentity(mac, hostname, 1), 0)),
                        30_000);

        MetricsExposition.Body text = metrics.scrape(null, null);
        assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
        Exposition m = Exposition.parse(new String(text.bytes(), StandardCharsets.UTF_8));
        assertThat(m.value(
                        "routerlog_dns_queries_total",
                        "router",
                        "r1",
                        "client",
                        client,
                        "domain",
                        domain,
                        "qtype",
                        qtype))
                .isNotNull();
        assertThat(m.value(
                        "routerlog_dhcp_lease_info",
                        "router",
                        "r1",
                        "client",
                        client,
                        "mac",
                        mac,
                        "hostname",
                        hostname))
                .isEqualTo(1.0);

        MetricsExposition.Body openMetrics = metrics.scrape("application/openmetrics-text; version=1.0.0", null);
        assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text");
        String om = new String(openMetrics.bytes(), StandardCharsets.UTF_8);
        assertThat(om).endsWith("\n# EOF\n").containsOnlyOnce("# EOF");
        Exposition omParsed = Exposition.parse(om);
        assertThat(omParsed.value(
                        "routerlog_dns_queries_total",
                        "router",
                        "r1",
                        "client",
                        client,
                        "domain",
                        domain,
                        "qtype",
                        qtype))
                .isNotNull();
    }
}
