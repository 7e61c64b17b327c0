package io.routerlog.geoip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.routerlog.testing.GeoFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP lookups on databases the test writes itself. */
class GeoIpTest {
    @TempDir
    Path dir;

    @Test
    void countryAndAsnOfMappedAndUnmappedAddresses() throws IOException {
        Path[] db = GeoFixtures.write(dir);
        try (GeoIp geo = GeoIp.open(db[0], db[1])) {
            assertThat(geo.hasCountries()).isTrue();
            assertThat(geo.hasAsns()).isTrue();
            assertThat(geo.country("81.2.69.160")).isEqualTo("GB");
            assertThat(geo.asn("81.2.69.160")).isEqualTo(20712);
            assertThat(geo.country("1.128.0.1")).isEqualTo("AU");
            assertThat(geo.asn("1.159.255.255")).isEqualTo(1221);
            assertThat(geo.country("2a02:d000::53")).isEqualTo("DE");
            assertThat(geo.asn("2a02:d000::53")).isEqualTo(GeoIp.UNMAPPED_ASN);
            assertThat(geo.country("fe80::1%br-lan")).isEqualTo(GeoIp.UNMAPPED_COUNTRY);
            assertThat(geo.country("192.168.1.1")).isEqualTo("ZZ");
            assertThat(geo.asn("127.0.0.1")).isZero();
            // never a name lookup: words and broken literals are simply unmapped
            assertThat(geo.country("cafe")).isEqualTo("ZZ");
            assertThat(geo.country("999.1.1.1")).isEqualTo("ZZ");
            assertThat(geo.asn("localhost")).isZero();
        }
    }

    @Test
    void withoutDatabasesThereAreNoLabels() {
        try (GeoIp geo = GeoIp.open(null, null)) {
            assertThat(geo.hasCountries()).isFalse();
            assertThat(geo.country("81.2.69.160")).isNull();
            assertThat(geo.asn("81.2.69.160")).isEqualTo(-1);
        }
    }

    @Test
    void missingCorruptOrWrongDatabasesAreClearErrors() throws IOException {
        Path[] db = GeoFixtures.write(dir);
        assertThatThrownBy(() -> GeoIp.open(dir.resolve("missing.mmdb"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--geoip-country-db")
                .hasMessageContaining("cannot read");
        Path corrupt = dir.resolve("corrupt.mmdb");
        byte[] good = Files.readAllBytes(db[0]);
        Files.write(corrupt, Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> GeoIp.open(corrupt, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a MaxMind DB file");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database\n");
        assertThatThrownBy(() -> GeoIp.open(null, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--geoip-asn-db")
                .hasMessageContaining("is not a MaxMind DB file");
        assertThatThrownBy(() -> GeoIp.open(db[1], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a GeoLite2-ASN database, not a Country database");
        assertThatThrownBy(() -> GeoIp.open(db[0], db[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--geoip-asn-db");
    }
}
