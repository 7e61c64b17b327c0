package io.routerlog.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DhcpLease;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeaseFileParserTest {
    /** The file's modification time. */
    private static final long SEEN = 1_767_225_000_000L;
    /** 2026-01-01T00:00:00Z. */
    private static final long NOW = 1_767_225_600_000L;

    private static final long LATER = 1_767_268_800L; // NOW + 12 h, in seconds as in the file

    private static List<DhcpLease> parse(String... lines) {
        return LeaseFileParser.parse("r1", List.of(lines), SEEN, NOW);
    }

    @Test
    void ipv4Lease() {
        assertThat(parse(LATER + " aa:bb:cc:dd:ee:ff 192.168.1.100 laptop 01:aa:bb:cc:dd:ee:ff"))
                .containsExactly(new DhcpLease(
                        "r1",
                        "192.168.1.100",
                        "aa:bb:cc:dd:ee:ff",
                        "laptop",
                        "01:aa:bb:cc:dd:ee:ff",
                        SEEN,
                        LATER * 1000));
    }

    @Test
    void ipv4LeasesInFileOrder() {
        assertThat(parse(
                        LATER + " aa:bb:cc:dd:ee:01 192.168.1.101 one *",
                        (LATER + 60) + " aa:bb:cc:dd:ee:02 192.168.1.102 two 01:aa:bb:cc:dd:ee:02",
                        (LATER + 120) + " AA:BB:CC:DD:EE:03 192.168.1.103 Three *"))
                .containsExactly(
                        new DhcpLease("r1", "192.168.1.101", "aa:bb:cc:dd:ee:01", "one", SEEN, LATER * 1000),
                        new DhcpLease(
                                "r1",
                                "192.168.1.102",
                                "aa:bb:cc:dd:ee:02",
                                "two",
                                "01:aa:bb:cc:dd:ee:02",
                                SEEN,
                                (LATER + 60) * 1000),
                        new DhcpLease("r1", "192.168.1.103", "aa:bb:cc:dd:ee:03", "Three", SEEN, (LATER + 120) * 1000));
    }

    @Test
    void starHostnameIsEmpty() {
        assertThat(parse(LATER + " aa:bb:cc:dd:ee:ff 192.168.1.100 * *"))
                .containsExactly(new DhcpLease("r1", "192.168.1.100", "aa:bb:cc:dd:ee:ff", "", SEEN, LATER * 1000));
    }

    @Test
    void expiryZeroIsAnInfiniteLease() {
        List<DhcpLease> leases =
                LeaseFileParser.parse("r1", List.of("0 aa:bb:cc:dd:ee:ff 192.168.1.2 nas *"), SEEN, Long.MAX_VALUE);

        assertThat(leases).containsExactly(new DhcpLease("r1", "192.168.1.2", "aa:bb:cc:dd:ee:ff", "nas", SEEN, 0));
    }

    @Test
    void expiredLeasesAreSkipped() {
        long past = NOW / 1000 - 1;
        long exactlyNow = NOW / 1000;
        long justAfter = NOW / 1000 + 1;

        assertThat(parse(
                        past + " aa:bb:cc:dd:ee:01 192.168.1.101 old *",
                        exactlyNow + " aa:bb:cc:dd:ee:02 192.168.1.102 ending *",
                        justAfter + " aa:bb:cc:dd:ee:03 192.168.1.103 current *"))
                .extracting(DhcpLease::hostname)
                .containsExactly("current");
    }

    @Test
    void dhcpv6LeasesAfterDuidLine() {
        assertThat(parse(
                        LATER + " aa:bb:cc:dd:ee:ff 192.168.1.100 laptop 01:aa:bb:cc:dd:ee:ff",
                        "duid 00:01:00:01:2a:00:00:01:00:11:22:33:44:55",
                        LATER + " 305419896 fd00::1a2b laptop 00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff",
                        LATER + " 17 fd00::77 phone 00:03:00:01:12:34:56:78:9A:BC",
                        "0 T99 fd00::99 * 00:01:00:01:2a:3b:4c:5d:66:55:44:33:22:11"))
                .containsExactly(
                        new DhcpLease(
                                "r1",
                                "192.168.1.100",
                                "aa:bb:cc:dd:ee:ff",
                                "laptop",
                                "01:aa:bb:cc:dd:ee:ff",
                                SEEN,
                                LATER * 1000),
                        new DhcpLease(
                                "r1",
                                "fd00::1a2b",
                                "aa:bb:cc:dd:ee:ff",
                                "laptop",
                                "00:01:00:01:2a:3b:4c:5d:aa:bb:cc:dd:ee:ff",
                                SEEN,
                                LATER * 1000),
                        new DhcpLease(
                                "r1",
                                "fd00::77",
                                "12:34:56:78:9a:bc",
                                "phone",
                                "00:03:00:01:12:34:56:78:9A:BC",
                                SEEN,
                                LATER * 1000),
                        new DhcpLease(
                                "r1",
                                "fd00::99",
                                "66:55:44:33:22:11",
                                "",
                                "00:01:00:01:2a:3b:4c:5d:66:55:44:33:22:11",
                                SEEN,
                                0));
    }

    @Test
    void dhcpv6DuidWithoutMacIsKept() {
        String duidEn = "00:02:00:00:ab:11:01:02:03:04:05:06:07:08";

        assertThat(parse(LATER + " 305419896 fd00::1a2b printer " + duidEn))
                .containsExactly(new DhcpLease("r1", "fd00::1a2b", duidEn, "printer", duidEn, SEEN, LATER * 1000));
    }

    @Test
    void dhcpv6LeaseWithoutClientIdIsSkipped() {
        assertThat(parse(LATER + " 305419896 fd00::1a2b laptop *")).isEmpty();
    }

    @Test
    void duidLineIsNotALease() {
        assertThat(parse(
                        "duid 00:01:00:01:2a:00:00:01:00:11:22:33:44:55",
                        "duid 00:01:00:01:2a:00:00:01:00:11:22:33:44:55 extra field here"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "# comment line here",
                "hello world foo bar",
                "soon aa:bb:cc:dd:ee:ff 192.168.1.100 laptop *",
                "1.5e9 aa:bb:cc:dd:ee:ff 192.168.1.100 laptop *",
                "1767268800 aa:bb:cc:dd:ee:ff",
                "1767268800 aa:bb:cc:dd:ee:ff 192.168.1.100",
                "1767268800 aa:bb:cc:dd:ee:ff not-an-ip laptop *",
                "1767268800 aa:bb:cc:dd:ee:ff 192.168.1.300 laptop *",
                "1767268800 aa:bb:cc:dd:ee:ff 192.168.1 laptop *",
                "1767268800 aa:bb:cc:dd:ee:ff fd00::1::2 laptop *",
                "99999999999999999999 aa:bb:cc:dd:ee:ff 192.168.1.100 laptop *",
            })
    void garbageLinesAreSkipped(String garbage) {
        List<DhcpLease> leases = parse(
                LATER + " aa:bb:cc:dd:ee:01 192.168.1.101 before *",
                garbage,
                LATER + " aa:bb:cc:dd:ee:02 192.168.1.102 after *");

        assertThat(leases).extracting(DhcpLease::hostname).containsExactly("before", "after");
    }

    @Test
    void surroundingWhitespaceAndTabsAreTolerated() {
        assertThat(parse("  " + LATER + "\taa:bb:cc:dd:ee:ff   192.168.1.100 laptop *  "))
                .containsExactly(
                        new DhcpLease("r1", "192.168.1.100", "aa:bb:cc:dd:ee:ff", "laptop", SEEN, LATER * 1000));
    }

    @Test
    void nonEthernetHardwareKeepsItsTypePrefix() {
        assertThat(parse(LATER + " 20-00:11:22:33:44:55:66:77 192.168.1.50 ib-host *"))
                .extracting(DhcpLease::mac)
                .containsExactly("20-00:11:22:33:44:55:66:77");
    }

    @Test
    void emptyFileGivesNoLeases() {
        assertThat(LeaseFileParser.parse("r1", List.of(), SEEN, NOW)).isEmpty();
    }
}
