package io.routerlog.testing;

import static io.routerlog.testing.MaxMindDbWriter.asn;
import static io.routerlog.testing.MaxMindDbWriter.country;
import static io.routerlog.testing.MaxMindDbWriter.int32;
import static io.routerlog.testing.MaxMindDbWriter.uint16;
import static io.routerlog.testing.MaxMindDbWriter.uint32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.InvalidDatabaseException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Network;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.AddressNotFoundException;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CountryResponse;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads databases built by {@link MaxMindDbWriter} back with MaxMind's own readers. */
class MaxMindDbWriterTest {

    @TempDir
    Path dir;

    // ---- IPv4 ----------------------------------------------------------------------------------------------------

    @Test
    void ipv4NetworksCoverTheirFirstMiddleAndLastAddressAndNothingOutside() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("89.160.0.0/16", country("SE", "Sweden"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(isoCode(reader, "81.2.69.0")).contains("GB");
            assertThat(isoCode(reader, "81.2.69.160")).contains("GB");
            assertThat(isoCode(reader, "81.2.69.255")).contains("GB");
            assertThat(isoCode(reader, "81.2.68.255")).isEmpty();
            assertThat(isoCode(reader, "81.2.70.0")).isEmpty();

            assertThat(isoCode(reader, "89.160.0.0")).contains("SE");
            assertThat(isoCode(reader, "89.160.20.1")).contains("SE");
            assertThat(isoCode(reader, "89.160.255.255")).contains("SE");
            assertThat(isoCode(reader, "89.159.255.255")).isEmpty();
            assertThat(isoCode(reader, "89.161.0.0")).isEmpty();
        }
    }

    @Test
    void countryRecordHasTheShapeOfGeoLite2Country() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("89.160.0.0/16", country("SE", "Sweden"))
                .insert("203.0.113.0/24", country("NZ", "New Zealand", "OC"))
                .insert("198.51.100.0/24", country("XK", "Kosovo"));

        try (DatabaseReader reader = open(writer)) {
            CountryResponse gb = reader.country(ip("81.2.69.160"));
            assertThat(gb.country().isoCode()).isEqualTo("GB");
            assertThat(gb.country().name()).isEqualTo("United Kingdom");
            assertThat(gb.country().geonameId()).isEqualTo(2635167L);
            assertThat(gb.country().isInEuropeanUnion()).isFalse();
            assertThat(gb.registeredCountry().isoCode()).isEqualTo("GB");
            assertThat(gb.continent().code()).isEqualTo("EU");
            assertThat(gb.continent().geonameId()).isEqualTo(6255148L);
            assertThat(gb.continent().name()).isEqualTo("Europe");
            assertNetwork(gb.traits().network(), "81.2.69.0", 24);
            assertThat(gb.traits().ipAddress()).isEqualTo(ip("81.2.69.160"));

            assertThat(reader.country(ip("89.160.1.1")).country().isInEuropeanUnion())
                    .isTrue();

            CountryResponse nz = reader.country(ip("203.0.113.7"));
            assertThat(nz.country().isoCode()).isEqualTo("NZ");
            assertThat(nz.continent().name()).isEqualTo("Oceania");

            CountryResponse xk = reader.country(ip("198.51.100.1"));
            assertThat(xk.country().isoCode()).isEqualTo("XK");
            assertThat(xk.country().name()).isEqualTo("Kosovo");
            assertThat(xk.country().geonameId()).isNull();
            assertThat(xk.continent().code()).isNull();
        }
    }

    // ---- IPv6 ----------------------------------------------------------------------------------------------------

    @Test
    void ipv6NetworksCoverTheirFirstMiddleAndLastAddressAndNothingOutside() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country()
                .insert("2a02:d300::/29", country("UA", "Ukraine"))
                .insert("2001:218::/32", country("JP", "Japan"))
                .insert("2001:db8:1234:5678::/64", country("DE", "Germany"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(isoCode(reader, "2a02:d300::")).contains("UA");
            assertThat(isoCode(reader, "2a02:d304:1:2::3")).contains("UA");
            assertThat(isoCode(reader, "2a02:d307:ffff:ffff:ffff:ffff:ffff:ffff"))
                    .contains("UA");
            assertThat(isoCode(reader, "2a02:d2ff:ffff:ffff:ffff:ffff:ffff:ffff"))
                    .isEmpty();
            assertThat(isoCode(reader, "2a02:d308::")).isEmpty();

            assertThat(isoCode(reader, "2001:218::")).contains("JP");
            assertThat(isoCode(reader, "2001:218:ffff:ffff:ffff:ffff:ffff:ffff"))
                    .contains("JP");
            assertThat(isoCode(reader, "2001:219::")).isEmpty();

            assertThat(isoCode(reader, "2001:db8:1234:5678::")).contains("DE");
            assertThat(isoCode(reader, "2001:db8:1234:5678:ffff:ffff:ffff:ffff"))
                    .contains("DE");
            assertThat(isoCode(reader, "2001:db8:1234:5679::")).isEmpty();

            assertNetwork(reader.country(ip("2a02:d304::1")).traits().network(), "2a02:d300::", 29);
            // no IPv4 network was inserted
            assertThat(isoCode(reader, "42.0.0.1")).isEmpty();
        }
    }

    @Test
    void ipv4MappedAndSixToFourAddressesReachTheIpv4Networks() throws Exception {
        MaxMindDbWriter withAliases =
                MaxMindDbWriter.geoLite2Country().insert("81.2.69.0/24", country("GB", "United Kingdom"));
        try (DatabaseReader reader = open(withAliases)) {
            // 2002:5102:45a0:: is the 6to4 prefix of 81.2.69.160 (0x51 0x02 0x45 0xa0)
            assertThat(isoCode(reader, "2002:5102:45a0::")).contains("GB");
            assertThat(isoCode(reader, "2002:5102:4500:ffff::")).contains("GB");
            assertThat(isoCode(reader, "2002:5102:4600::")).isEmpty();
            assertThat(isoCode(reader, "::ffff:81.2.69.160")).contains("GB");
        }
        assertThatThrownBy(() -> withAliases.insert("2002:5102:4500::/40", country("DE", "Germany")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2002::/16");
        assertThatThrownBy(() -> withAliases.insert("::ffff:10.0.0.0/104", country("DE", "Germany")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("::ffff:0:0/96");

        MaxMindDbWriter withoutAliases = MaxMindDbWriter.builder("GeoLite2-Country")
                .ipv4Aliases(false)
                .build()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("2002:5102:4500::/40", country("DE", "Germany"));
        try (DatabaseReader reader = open(withoutAliases)) {
            assertThat(isoCode(reader, "81.2.69.160")).contains("GB");
            assertThat(isoCode(reader, "2002:5102:45a0::")).contains("DE");
            assertThat(isoCode(reader, "2002:5102:4600::")).isEmpty();
        }
    }

    // ---- overlapping networks ------------------------------------------------------------------------------------

    @Test
    void moreSpecificNetworksInsertedLaterCarveHolesInBroaderOnes() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country()
                .insert("1.0.0.0/8", country("AU", "Australia", "OC"))
                .insert("1.2.3.0/24", country("CN", "China"))
                .insert("1.2.3.128/25", country("JP", "Japan"))
                .insert("2001:db8::/32", country("US", "United States"))
                .insert("2001:db8:ff::/48", country("CA", "Canada", "NA"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(isoCode(reader, "1.0.0.0")).contains("AU");
            assertThat(isoCode(reader, "1.2.2.255")).contains("AU");
            assertThat(isoCode(reader, "1.2.3.0")).contains("CN");
            assertThat(isoCode(reader, "1.2.3.127")).contains("CN");
            assertThat(isoCode(reader, "1.2.3.128")).contains("JP");
            assertThat(isoCode(reader, "1.2.3.255")).contains("JP");
            assertThat(isoCode(reader, "1.2.4.0")).contains("AU");
            assertThat(isoCode(reader, "1.255.255.255")).contains("AU");
            assertThat(isoCode(reader, "0.255.255.255")).isEmpty();
            assertThat(isoCode(reader, "2.0.0.0")).isEmpty();

            // the broader network is split into the pieces around the more specific one
            assertNetwork(reader.country(ip("1.2.2.255")).traits().network(), "1.2.2.0", 24);
            assertNetwork(reader.country(ip("1.0.0.1")).traits().network(), "1.0.0.0", 15);
            assertNetwork(reader.country(ip("1.2.3.200")).traits().network(), "1.2.3.128", 25);

            assertThat(isoCode(reader, "2001:db8:fe:ffff::")).contains("US");
            assertThat(isoCode(reader, "2001:db8:ff:1::")).contains("CA");
            assertThat(isoCode(reader, "2001:db8:100::")).contains("US");
        }
    }

    @Test
    void aBroaderNetworkInsertedLaterReplacesMoreSpecificOnes() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .ipv4Aliases(false)
                .build()
                .insert("5.5.5.0/24", country("DE", "Germany"))
                .insert("5.0.0.0/8", country("FR", "France"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(isoCode(reader, "5.5.5.5")).contains("FR");
            assertThat(isoCode(reader, "5.1.1.1")).contains("FR");
            // the nodes below ::5.0.0.0/104 are gone: one node per bit of the /8 is left
            assertThat(reader.metadata().nodeCount()).isEqualTo(96 + 8);
        }
    }

    // ---- unmapped addresses --------------------------------------------------------------------------------------

    @Test
    void addressesOutsideEveryNetworkAreNotFound() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("2a02:d300::/29", country("UA", "Ukraine"));

        try (DatabaseReader reader = open(writer)) {
            for (String address : List.of(
                    "127.0.0.1",
                    "10.0.0.1",
                    "172.16.0.1",
                    "192.168.1.1",
                    "0.0.0.0",
                    "255.255.255.255",
                    "::1",
                    "fe80::1",
                    "fd00::1",
                    "::")) {
                assertThat(isoCode(reader, address)).as(address).isEmpty();
            }
            assertThatThrownBy(() -> reader.country(ip("192.168.1.1"))).isInstanceOf(AddressNotFoundException.class);
        }
    }

    @Test
    void anEmptyDatabaseFindsNothing() throws Exception {
        try (DatabaseReader reader = open(new MaxMindDbWriter("GeoLite2-Country"))) {
            assertThat(reader.metadata().nodeCount()).isEqualTo(1);
            assertThat(reader.metadata().description())
                    .containsExactly(Map.entry("en", "GeoLite2-Country test database"));
            assertThat(isoCode(reader, "81.2.69.160")).isEmpty();
            assertThat(isoCode(reader, "2a02:d300::")).isEmpty();
        }
    }

    // ---- metadata ------------------------------------------------------------------------------------------------

    @Test
    void metadataDescribesTheDatabase() throws Exception {
        long epoch = 1_700_000_000L;
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .description("en", "routerlog test countries")
                .description("de", "routerlog Testländer")
                .languages("en", "de")
                .buildEpoch(epoch)
                .ipv4Aliases(false)
                .build()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"));

        try (DatabaseReader reader = open(writer)) {
            Metadata metadata = reader.metadata();
            assertThat(metadata.binaryFormatMajorVersion()).isEqualTo(2);
            assertThat(metadata.binaryFormatMinorVersion()).isZero();
            assertThat(metadata.buildEpoch()).isEqualTo(BigInteger.valueOf(epoch));
            assertThat(metadata.buildTime()).isEqualTo(Instant.ofEpochSecond(epoch));
            assertThat(metadata.databaseType()).isEqualTo("GeoLite2-Country");
            assertThat(metadata.description())
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("en", "routerlog test countries", "de", "routerlog Testländer"));
            assertThat(metadata.languages()).containsExactly("en", "de");
            assertThat(metadata.ipVersion()).isEqualTo(6);
            assertThat(metadata.recordSize()).isEqualTo(24);
            // one node per bit of ::81.2.69.0/120
            assertThat(metadata.nodeCount()).isEqualTo(120);
        }

        // The IPv4 aliases add the nodes on the way to ::ffff:0:0/96 (bits 81..95 leave the ::/96 path: 15 nodes)
        // and to 2002::/16 (bits 3..15 after leaving it at bit 2: 13 nodes).
        try (DatabaseReader reader =
                open(MaxMindDbWriter.geoLite2Country().insert("81.2.69.0/24", country("GB", "United Kingdom")))) {
            assertThat(reader.metadata().nodeCount()).isEqualTo(120 + 15 + 13);
            assertThat(reader.metadata().buildTime()).isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(reader.metadata().description()).containsEntry("en", "GeoLite2 Country test database");
            assertThat(reader.metadata().languages()).containsExactly("en");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 28, 32})
    void everyRecordSizeIsReadable(int recordSize) throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .recordSize(recordSize)
                .build()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("81.2.70.0/24", country("SE", "Sweden"))
                .insert("2a02:d300::/29", country("UA", "Ukraine"));
        byte[] bytes = writer.toByteArray();

        try (DatabaseReader reader = open(bytes)) {
            assertThat(reader.metadata().recordSize()).isEqualTo(recordSize);
            assertThat(isoCode(reader, "81.2.69.1")).contains("GB");
            assertThat(isoCode(reader, "81.2.70.1")).contains("SE");
            assertThat(isoCode(reader, "81.2.71.1")).isEmpty();
            assertThat(isoCode(reader, "2a02:d300::1")).contains("UA");

            // The search tree takes node_count * 2 * record_size / 8 bytes and is followed by 16 zero bytes; the
            // data section begins with the first record, a map (type 7 in the top three bits of its control byte).
            int treeSize = Math.toIntExact(reader.metadata().nodeCount() * recordSize / 4);
            assertThat(Arrays.copyOfRange(bytes, treeSize, treeSize + 16)).containsOnly(0);
            assertThat((bytes[treeSize + 16] & 0xFF) >>> 5).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {28, 32})
    void recordValuesAbove24BitsAreSplitAcrossTheNodeCorrectly(int recordSize) throws Exception {
        // Data is laid out in insert order, so the 16.8 MB record pushes the data pointer of every record inserted
        // after it past 2^24. Each of the two nodes above the /25 pairs then holds one record below 2^24 and one
        // above, left in one node and right in the other, so a misplaced high nibble shows up on either side.
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .recordSize(recordSize)
                .build()
                .insert("1.2.3.0/25", country("GB", "United Kingdom"))
                .insert("9.0.0.0/8", Map.of("padding", new byte[16_800_000]))
                .insert("1.2.3.128/25", country("SE", "Sweden"))
                .insert("1.2.4.0/25", country("SE", "Sweden"))
                .insert("1.2.4.128/25", country("GB", "United Kingdom"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(isoCode(reader, "1.2.3.1")).contains("GB");
            assertThat(isoCode(reader, "1.2.3.129")).contains("SE");
            assertThat(isoCode(reader, "1.2.4.1")).contains("SE");
            assertThat(isoCode(reader, "1.2.4.129")).contains("GB");
            assertThat(isoCode(reader, "1.2.5.1")).isEmpty();
        }
    }

    @Test
    void aRecordSizeTooSmallForTheDataIsRefused() {
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .recordSize(24)
                .build()
                .insert("9.0.0.0/8", Map.of("padding", new byte[16_800_000]))
                .insert("1.2.3.0/24", country("GB", "United Kingdom"));

        assertThatThrownBy(() -> writer.write(dir.resolve("too-big.mmdb")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("24 bits");
    }

    @Test
    void ipv4DatabasesHoldOnlyIpv4Networks() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .ipVersion(4)
                .build()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .insert("1.128.0.0/11", country("AU", "Australia", "OC"));

        assertThatThrownBy(() -> writer.insert("2a02:d300::/29", country("UA", "Ukraine")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4 database");

        try (DatabaseReader reader = open(writer)) {
            assertThat(reader.metadata().ipVersion()).isEqualTo(4);
            // one node per bit of each network; both start with a 0 bit, so they share the first two nodes
            assertThat(reader.metadata().nodeCount()).isEqualTo(24 + 11 - 2);
            assertThat(isoCode(reader, "81.2.69.0")).contains("GB");
            assertThat(isoCode(reader, "81.2.69.255")).contains("GB");
            assertThat(isoCode(reader, "81.2.70.0")).isEmpty();
            assertThat(isoCode(reader, "1.159.255.255")).contains("AU");
            assertThat(isoCode(reader, "1.160.0.0")).isEmpty();
            assertNetwork(reader.country(ip("1.130.0.1")).traits().network(), "1.128.0.0", 11);
        }
    }

    // ---- ASN -----------------------------------------------------------------------------------------------------

    @Test
    void asnDatabasesAnswerAsnLookups() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Asn()
                .insert("1.128.0.0/11", asn(1221, "Telstra Pty Ltd"))
                .insert("2600:1700::/28", asn(7018, "AT&T Services, Inc."))
                .insert("100.64.0.0/10", asn(4_200_000_000L, "Private use, 32-bit"));

        try (DatabaseReader reader = open(writer)) {
            assertThat(reader.metadata().databaseType()).isEqualTo("GeoLite2-ASN");

            AsnResponse telstra = reader.asn(ip("1.128.0.0"));
            assertThat(telstra.autonomousSystemNumber()).isEqualTo(1221L);
            assertThat(telstra.autonomousSystemOrganization()).isEqualTo("Telstra Pty Ltd");
            assertNetwork(telstra.network(), "1.128.0.0", 11);
            assertThat(reader.tryAsn(ip("1.159.255.255")).map(AsnResponse::autonomousSystemNumber))
                    .contains(1221L);
            assertThat(reader.tryAsn(ip("1.160.0.0"))).isEmpty();

            assertThat(reader.asn(ip("2600:1700:1:2::3")).autonomousSystemOrganization())
                    .isEqualTo("AT&T Services, Inc.");
            assertThat(reader.asn(ip("100.127.255.255")).autonomousSystemNumber())
                    .isEqualTo(4_200_000_000L);
            assertThat(reader.tryAsn(ip("192.168.0.1"))).isEmpty();

            // the database type decides which lookups the reader allows
            assertThatThrownBy(() -> reader.country(ip("1.128.0.0")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("GeoLite2-ASN");
        }
        try (DatabaseReader reader =
                open(MaxMindDbWriter.geoLite2Country().insert("1.128.0.0/11", country("AU", "Australia", "OC")))) {
            assertThatThrownBy(() -> reader.asn(ip("1.128.0.0")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("GeoLite2-Country");
        }
    }

    // ---- data types ----------------------------------------------------------------------------------------------

    @Test
    void everyValueTypeRoundTripsThroughTheReader() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("string", "Zürich 東京");
        record.put("empty_string", "");
        record.put("string_80", "x".repeat(80)); // size needs one extra byte
        record.put("string_300", "y".repeat(300)); // two extra bytes
        record.put("string_70000", "z".repeat(70_000)); // three extra bytes
        record.put("double", -12.5e3);
        record.put("float", 1.25f);
        record.put("uint16", uint16(65_535));
        record.put("uint32_from_integer", 123_456);
        record.put("uint32_zero", 0);
        record.put("uint32_max", uint32(4_294_967_295L));
        record.put("uint64_from_long", Long.MAX_VALUE);
        record.put("uint64_max", BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
        record.put("uint128", BigInteger.TWO.pow(100).add(BigInteger.ONE));
        record.put("int32_negative", int32(-5));
        record.put("int32_min", int32(Integer.MIN_VALUE));
        record.put("int32_positive", int32(1_000_000));
        record.put("true", true);
        record.put("false", false);
        record.put("array", List.of(1, "two", List.of(uint16(3)), Map.of("four", 4.0)));
        record.put("empty_array", List.of());
        record.put("object_array", new Object[] {"a", "b"});
        record.put("map", Map.of("nested", Map.of("deeper", "value")));
        record.put("empty_map", Map.of());
        record.put("bytes", new byte[] {0, 1, (byte) 0xFF});
        record.put("many_keys", manyKeys(40)); // map size needs an extra byte

        Path file = dir.resolve("types.mmdb");
        MaxMindDbWriter.builder("routerlog-types")
                .build()
                .insert("192.0.2.0/24", record)
                .write(file);

        try (Reader reader = new Reader(file.toFile())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = reader.get(ip("192.0.2.1"), Map.class);
            assertThat(read).containsOnlyKeys(record.keySet());
            assertThat(read)
                    .containsEntry("string", "Zürich 東京")
                    .containsEntry("empty_string", "")
                    .containsEntry("string_80", "x".repeat(80))
                    .containsEntry("string_300", "y".repeat(300))
                    .containsEntry("string_70000", "z".repeat(70_000))
                    .containsEntry("double", -12.5e3)
                    .containsEntry("float", 1.25f)
                    .containsEntry("uint16", 65_535)
                    .containsEntry("uint32_from_integer", 123_456L)
                    .containsEntry("uint32_zero", 0L)
                    .containsEntry("uint32_max", 4_294_967_295L)
                    .containsEntry("uint64_from_long", BigInteger.valueOf(Long.MAX_VALUE))
                    .containsEntry("uint64_max", BigInteger.TWO.pow(64).subtract(BigInteger.ONE))
                    .containsEntry("uint128", BigInteger.TWO.pow(100).add(BigInteger.ONE))
                    .containsEntry("int32_negative", -5)
                    .containsEntry("int32_min", Integer.MIN_VALUE)
                    .containsEntry("int32_positive", 1_000_000)
                    .containsEntry("true", true)
                    .containsEntry("false", false)
                    .containsEntry("array", List.of(1L, "two", List.of(3), Map.of("four", 4.0)))
                    .containsEntry("empty_array", List.of())
                    .containsEntry("object_array", List.of("a", "b"))
                    .containsEntry("map", Map.of("nested", Map.of("deeper", "value")))
                    .containsEntry("empty_map", Map.of())
                    .containsEntry(
                            "many_keys",
                            manyKeys(40).entrySet().stream()
                                    .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) (int) e.getValue())));
            assertThat((byte[]) read.get("bytes")).containsExactly(0, 1, 0xFF);
        }
    }

    @Test
    void identicalRecordsAreStoredOnce() throws Exception {
        // Same tree shape either way; only the second database needs a second (equally long) record.
        Map<String, Object> a = Map.of("v", "AA");
        Map<String, Object> b = Map.of("v", "BB");
        byte[] shared = MaxMindDbWriter.builder("t")
                .buildEpoch(1)
                .build()
                .insert("1.0.0.0/24", a)
                .insert("1.0.1.0/24", a)
                .toByteArray();
        byte[] distinct = MaxMindDbWriter.builder("t")
                .buildEpoch(1)
                .build()
                .insert("1.0.0.0/24", a)
                .insert("1.0.1.0/24", b)
                .toByteArray();

        // {"v": "AA"}: map control byte, key control byte + 1 byte, value control byte + 2 bytes
        assertThat(distinct.length - shared.length).isEqualTo(6);
        Path file = dir.resolve("shared.mmdb");
        Files.write(file, shared);
        try (Reader reader = new Reader(file.toFile())) {
            Map<?, ?> first = reader.get(ip("1.0.0.1"), Map.class);
            Map<?, ?> second = reader.get(ip("1.0.1.1"), Map.class);
            assertThat(first).isEqualTo(a);
            assertThat(second).isEqualTo(a);
        }
    }

    @Test
    void writingDoesNotStopLaterInserts() throws Exception {
        MaxMindDbWriter writer =
                MaxMindDbWriter.geoLite2Country().insert("81.2.69.0/24", country("GB", "United Kingdom"));
        byte[] first = writer.toByteArray();
        writer.insert("81.2.70.0/24", country("SE", "Sweden"));

        try (DatabaseReader before = open(first);
                DatabaseReader after = open(writer)) {
            assertThat(isoCode(before, "81.2.70.1")).isEmpty();
            assertThat(isoCode(after, "81.2.70.1")).contains("SE");
            assertThat(isoCode(after, "81.2.69.1")).contains("GB");
            assertThat(isoCode(after, "2002:5102:4601::")).contains("SE");
        }
    }

    @Test
    void invalidInputIsRejected() {
        MaxMindDbWriter writer = MaxMindDbWriter.geoLite2Country();
        Map<String, Object> gb = country("GB", "United Kingdom");

        assertThatThrownBy(() -> writer.insert("81.2.69.1/24", gb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits");
        assertThatThrownBy(() -> writer.insert("81.2.69.0/33", gb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix length");
        assertThatThrownBy(() -> writer.insert("81.2.69.0/x", gb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix length");
        assertThatThrownBy(() -> writer.insert("localhost", gb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IP network");
        assertThatThrownBy(() -> writer.insert("1.2.3/24", gb))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IP network");
        assertThatThrownBy(() -> writer.insert("1.0.0.0/8", Map.of("n", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int32()");
        assertThatThrownBy(() -> writer.insert("1.0.0.0/8", Map.of("n", (short) 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Short");
        assertThatThrownBy(() -> writer.insert("1.0.0.0/8", Map.of("n", BigInteger.TWO.pow(128))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128-bit");
        assertThatThrownBy(() -> uint16(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> uint32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaxMindDbWriter.builder("t").recordSize(26))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaxMindDbWriter.builder("t").ipVersion(5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- damaged files -------------------------------------------------------------------------------------------

    @Test
    void filesWithoutMetadataAreRejectedWhenOpened() throws Exception {
        byte[] valid = MaxMindDbWriter.geoLite2Country()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"))
                .toByteArray();

        assertThatThrownBy(() -> open(Arrays.copyOf(valid, valid.length / 2)).close())
                .isInstanceOf(InvalidDatabaseException.class);
        assertThatThrownBy(() -> open(new byte[0]).close()).isInstanceOf(InvalidDatabaseException.class);
        assertThatThrownBy(() -> open("not a MaxMind database\n".getBytes(StandardCharsets.US_ASCII))
                        .close())
                .isInstanceOf(InvalidDatabaseException.class);
    }

    @Test
    void damageBehindTheMetadataMarkerStillMakesTheReaderThrow() throws Exception {
        MaxMindDbWriter writer = MaxMindDbWriter.builder("GeoLite2-Country")
                .ipv4Aliases(false)
                .build()
                .insert("81.2.69.0/24", country("GB", "United Kingdom"));
        byte[] valid = writer.toByteArray();
        int treeSize = 120 * 6; // 120 nodes of two 24-bit records

        // Metadata map cut short. MaxMind's reader does not always wrap such damage in an IOException (it has
        // thrown IllegalArgumentException from ByteBuffer.limit), so callers have to be ready for both.
        assertThatThrownBy(() -> open(Arrays.copyOf(valid, valid.length - 20)).close())
                .isInstanceOfAny(IOException.class, RuntimeException.class);

        // Every tree record pointing far past the end of the file.
        byte[] badTree = valid.clone();
        Arrays.fill(badTree, 0, treeSize, (byte) 0xFF);
        try (DatabaseReader reader = open(badTree)) {
            assertThatThrownBy(() -> reader.tryCountry(ip("81.2.69.160"))).isInstanceOf(InvalidDatabaseException.class);
        }

        // The record's map announcing 28 pairs where it has 3: decoding runs into the metadata (the reader has
        // thrown ClassCastException here rather than an IOException).
        byte[] badData = valid.clone();
        assertThat(badData[treeSize + 16]).isEqualTo((byte) (7 << 5 | 3));
        badData[treeSize + 16] = (byte) (7 << 5 | 28);
        try (DatabaseReader reader = open(badData)) {
            assertThatThrownBy(() -> reader.tryCountry(ip("81.2.69.160")))
                    .isInstanceOfAny(IOException.class, RuntimeException.class);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private int files;

    private DatabaseReader open(MaxMindDbWriter writer) throws IOException {
        return open(writer.toByteArray());
    }

    private DatabaseReader open(byte[] database) throws IOException {
        Path file = dir.resolve("db-" + files++ + ".mmdb");
        Files.write(file, database);
        return new DatabaseReader.Builder(file.toFile()).build();
    }

    /** {@code Network.equals} also compares the looked-up address, so compare the network part only. */
    private static void assertNetwork(Network network, String address, int prefixLength) throws UnknownHostException {
        assertThat(network.networkAddress()).isEqualTo(ip(address));
        assertThat(network.prefixLength()).isEqualTo(prefixLength);
    }

    private static Optional<String> isoCode(DatabaseReader reader, String address) throws Exception {
        return reader.tryCountry(ip(address)).map(response -> response.country().isoCode());
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // literals only: no name lookup
    }

    private static Map<String, Object> manyKeys(int count) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put("k" + i, i);
        }
        return map;
    }
}
