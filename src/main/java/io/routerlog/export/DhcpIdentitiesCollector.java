package io.routerlog.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.store.IdentityMap;
import java.util.List;

/**
 * The identity of every client address known from DHCP, the same on every member (it is an info metric, not a
 * count: aggregate it with {@code max} or {@code group}, not {@code sum}).
 */
public final class DhcpIdentitiesCollector implements MultiCollector {
    /** Exposed as {@code routerlog_dhcp_lease_info}; the metric names stay as dashboards know them. */
    static final String LEASE = "routerlog_dhcp_lease";

    static final String LEASES = "routerlog_dhcp_leases";

    private final IdentityMap identities;

    public DhcpIdentitiesCollector(IdentityMap identities) {
        this.identities = identities;
    }

    @Override
    public MetricSnapshots collect() {
        InfoSnapshot.Builder info = InfoSnapshot.builder()
                .name(LEASE)
                .help("MAC address and hostname of a client address of a router, from DHCPACK lines (and "
                        + "--leases-file); always 1. Join it to query counts with: "
                        + "* on(router, client) group_left(mac, hostname)");
        int[] n = {0};
        identities.forEach((key, id) -> {
            n[0]++;
            info.dataPoint(new InfoDataPointSnapshot(Labels.of(
                    "router", key.router(), "client", key.client(), "mac", id.mac(), "hostname", id.hostname())));
        });
        return new MetricSnapshots(
                info.build(), Families.gauge(LEASES, "Client addresses with a known DHCP identity", n[0]));
    }

    @Override
    @SuppressWarnings("deprecation") // getMetricFamilyDescriptors() reads the names from here
    public List<String> getPrometheusNames() {
        return List.of(LEASE, LEASES);
    }
}
