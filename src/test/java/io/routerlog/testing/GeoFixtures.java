package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Path;

/** Small country and ASN databases for tests, written on the fly. */
public final class GeoFixtures {
    private GeoFixtures() {}

    /**
     * Writes {@code country.mmdb} (81.2.69.0/24 GB, 1.128.0.0/11 AU, 2a02:d000::/29 DE) and {@code asn.mmdb}
     * (1.128.0.0/11 AS1221, 81.2.69.0/24 AS20712) into {@code dir}.
     *
     * @return the country and the ASN database
     */
    public static Path[] write(Path dir) throws IOException {
        Path country = dir.resolve("country.mmdb");
        MaxMindDbWriter.geoLite2Country()
                .insert("81.2.69.0/24", MaxMindDbWriter.country("GB", "United Kingdom"))
                .insert("1.128.0.0/11", MaxMindDbWriter.country("AU", "Australia"))
                .insert("2a02:d000::/29", MaxMindDbWriter.country("DE", "Germany"))
                .write(country);
        Path asn = dir.resolve("asn.mmdb");
        MaxMindDbWriter.geoLite2Asn()
                .insert("1.128.0.0/11", MaxMindDbWriter.asn(1221, "Telstra Pty Ltd"))
                .insert("81.2.69.0/24", MaxMindDbWriter.asn(20712, "Andrews & Arnold Ltd"))
                .write(asn);
        return new Path[] {country, asn};
    }
}
