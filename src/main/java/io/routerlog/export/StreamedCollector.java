package io.routerlog.export;

import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;

/**
 * Metric families with one series per stored entry (hundreds of thousands of them), written straight into the
 * exposition from the store's packed read instead of through the client library's snapshot objects.
 */
public interface StreamedCollector {
    /** Writes this collector's families; {@code request} carries the scrape's parameters ({@code scope}). */
    void write(PrometheusScrapeRequest request, ExpositionWriter out);
}
