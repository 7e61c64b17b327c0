package io.routerlog.export;

import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which entries of the distributed maps a scrape shows. By default, those whose primary copy this node holds
 * ({@code owned}), so that summing over all nodes counts each once; with {@code /metrics?scope=cluster}, every
 * entry of the whole cluster, for setups that scrape a single address.
 */
enum Scope {
    OWNED,
    CLUSTER;

    static final String PARAMETER = "scope";

    static Scope of(@Nullable PrometheusScrapeRequest request) {
        if (request == null) {
            return OWNED;
        }
        String[] values = request.getParameterValues(PARAMETER);
        return values != null && values.length > 0 && values[0].equalsIgnoreCase("cluster") ? CLUSTER : OWNED;
    }
}
