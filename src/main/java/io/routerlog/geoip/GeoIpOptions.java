package io.routerlog.geoip;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The GeoIP database options, as picocli fills them. The {@code order} of each option is its place in
 * {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class GeoIpOptions {
    @Option(
            names = "--geoip-country-db",
            paramLabel = "FILE",
            order = 34,
            description = "MaxMind DB country database (GeoLite2-Country or compatible): adds a country label to the "
                    + "DNSTT metrics.")
    Path geoipCountryDb;

    @Option(
            names = "--geoip-asn-db",
            paramLabel = "FILE",
            order = 35,
            description =
                    "MaxMind DB ASN database (GeoLite2-ASN or compatible): adds an asn label to the DNSTT metrics.")
    Path geoipAsnDb;

    /** The databases to open when the node starts. */
    public GeoIpSettings settings() {
        return new GeoIpSettings(Optional.ofNullable(geoipCountryDb), Optional.ofNullable(geoipAsnDb));
    }
}
