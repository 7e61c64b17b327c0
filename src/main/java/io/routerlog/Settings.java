package io.routerlog;

import io.routerlog.aggregate.FlushSettings;
import io.routerlog.config.TlsSettings;
import io.routerlog.detect.DetectSettings;
import io.routerlog.export.HttpSettings;
import io.routerlog.geoip.GeoIpSettings;
import io.routerlog.rules.RulesSettings;
import io.routerlog.source.CaptureSettings;
import io.routerlog.source.LeasesSettings;
import io.routerlog.source.ListenerSettings;
import io.routerlog.store.StoreSettings;

/**
 * Every setting of a routerlog node, validated: one record per component, as its option group built it. Files
 * named here have not been read yet; each component reads its own when it starts. ({@link #toString} shows no
 * secrets.)
 *
 * @param syslog     the syslog listeners
 * @param tls        the certificate and key of the TLS listener and HTTPS
 * @param http       the HTTP endpoints
 * @param store      the store's bounds and the cluster
 * @param flush      moving counts into the store
 * @param rules      the rules every source's events go through
 * @param detect     finding tunnels nobody configured
 * @param geoIp      the GeoIP databases
 * @param leases     the dnsmasq lease file to watch, when there is one, and its router
 * @param capture    live capture and the DNS port of packets
 * @param logLevel   routerlog's own log level
 */
public record Settings(
        ListenerSettings syslog,
        TlsSettings tls,
        HttpSettings http,
        StoreSettings store,
        FlushSettings flush,
        RulesSettings rules,
        DetectSettings detect,
        GeoIpSettings geoIp,
        LeasesSettings leases,
        CaptureSettings capture,
        String logLevel) {

    @Override
    public String toString() {
        return "Settings[" + syslog.address() + ":" + syslog.port() + ", http " + http.address() + ":" + http.port()
                + ", anonymize " + rules.anonymize() + "]";
    }
}
