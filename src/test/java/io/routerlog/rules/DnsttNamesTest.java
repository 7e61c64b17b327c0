package io.routerlog.rules;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.DnsmasqChain;
import io.routerlog.testing.RecordingSink.Query;
import io.routerlog.testing.RecordingSink.Tunnel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DNSTT names: the ClientID decoder and what the parser reports for names under a tunnel domain. */
class DnsttNamesTest {
    private static final long CLIENT_ID = 0x0123456789abcdefL;

    private static boolean has(String labels) {
        byte[] b = labels.getBytes(US_ASCII);
        return DnsttNames.hasClientId(b, 0, b.length);
    }

    private static long id(String labels) {
        byte[] b = labels.getBytes(US_ASCII);
        assertThat(DnsttNames.hasClientId(b, 0, b.length)).as(labels).isTrue();
        return DnsttNames.clientId(b, 0, b.length);
    }

    @Test
    void workedExamplesFromTheWireFormat() {
        // poll: ClientID 0123456789abcdef, 0xE8, padding a1..a8
        assertThat(id("aerukz4jvpg672fbukr2jjngu6ua")).isEqualTo(CLIENT_ID);
        // data "hello" after 3 padding bytes
        assertThat(id("aerukz4jvpg67y5rwkzqk2dfnrwg6")).isEqualTo(CLIENT_ID);
        assertThat(DnsttNames.hex(id("aerukz4jvpg672fbukr2jjngu6ua"))).isEqualTo("0123456789abcdef");
    }

    @Test
    void anyCaseAndLabelSplitsDecodeTheSame() {
        assertThat(id("AERUKZ4JVPG672FBUKR2JJNGU6UA")).isEqualTo(CLIENT_ID);
        assertThat(id("AeRuKz4JvPg672fBuKr2JjNgU6uA")).isEqualTo(CLIENT_ID);
        assertThat(id("aerukz.4jvpg6.72fbukr2jjngu6ua")).isEqualTo(CLIENT_ID);
        assertThat(id("a.e.r.u.k.z.4.j.v.p.g.6.7.2.f.b.u.k.r.2.j.j.n.g.u.6.u.a"))
                .isEqualTo(CLIENT_ID);
    }

    @Test
    void thirteenCharactersAreTheShortestNameWithAClientId() {
        assertThat(has("aerukz4jvpg67")).isTrue(); // 13 chars: exactly 8 bytes
        assertThat(id("aerukz4jvpg67")).isEqualTo(CLIENT_ID);
        assertThat(has("aerukz4jvpg6")).isFalse(); // 12 chars: 7 bytes
        assertThat(has("aerukz4jvpg67a")).isFalse(); // 14 chars: a length unpadded base32 cannot have
        assertThat(has("aerukz4jvpg672f")).isTrue(); // 15 chars: 9 bytes
        assertThat(id("aerukz4jvpg672f")).isEqualTo(CLIENT_ID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "aerukz4jvpg672fbukr2jjngu6u1",
                "aerukz4jvpg672fbukr2jjngu6u8",
                "aerukz4jvpg672fbukr2jjngu6u=",
                "aerukz4jvpg672fbukr2jjngu6u-",
                "aerukz4jvpg672fbukr2jjngu6uaaa",
                "www",
                "aerukz4jvpg672fbukr2jjngu6u",
                "aerukz.4jvpg672fbukr2jjngu"
            })
    void notDnsttNames(String labels) {
        // a character outside A-Z2-7, or a length of 1, 3 or 6 characters past a group of 8 (25, 27, 30)
        assertThat(has(labels)).isFalse();
    }

    @Test
    void wireLengthCountsALengthBytePerLabelAndTheRoot() {
        // aerukz4jvpg672fbukr2jjngu6ua.t.example.com: 28+1 + 1+1 + 7+1 + 3+1 + 1 = 44
        assertThat(DnsttNames.wireLength("aerukz4jvpg672fbukr2jjngu6ua.t.example.com".length()))
                .isEqualTo(44);
    }

    @Test
    void parserReportsTheSessionTheSenderAndTheReconstructedSize() {
        DnsmasqChain c = new DnsmasqChain("other.test", "t.example.com")
                .dns("5 10.0.0.5/41000 query[TXT] aerukz4jvpg672fbukr2jjngu6ua.t.example.com from 10.0.0.5")
                .dns("query[TXT] AERUKZ4JVPG67Y5RWKZQK2DFNRWG6.T.EXAMPLE.COM. from 2001:db8::53");
        assertThat(c.sink.tunnels)
                .containsExactly(
                        new Tunnel(1, "10.0.0.5", true, CLIENT_ID, 12 + 44 + 4 + 11),
                        new Tunnel(1, "2001:db8::53", true, CLIENT_ID, 12 + 45 + 4 + 11));
        assertThat(c.sink.queries).extracting(Query::domain).containsExactly("t.example.com", "t.example.com");
    }

    @Test
    void namesUnderTheDomainThatDoNotDecodeAreReportedAsInvalid() {
        DnsmasqChain c = new DnsmasqChain("t.example.com")
                .dns("query[TXT] www.t.example.com from 10.0.0.6")
                .dns("query[A] t.example.com from 10.0.0.6")
                .dns("query[TXT] aerukz4jvpg6.t.example.com from 10.0.0.6");
        assertThat(c.sink.tunnels).extracting(Tunnel::hasSession).containsExactly(false, false, false);
        assertThat(c.sink.queries).hasSize(3);
    }

    @Test
    void aDomainThatMerelyEndsLikeTheTunnelDomainIsNotUnderIt() {
        DnsmasqChain c = new DnsmasqChain("t.example.com")
                .dns("query[TXT] aerukz4jvpg672fbukr2jjngu6ua.xt.example.com from 10.0.0.7")
                .dns("query[TXT] aerukz4jvpg672fbukr2jjngu6ua.example.com from 10.0.0.7");
        assertThat(c.sink.tunnels).isEmpty();
    }

    @Test
    void theLongestMatchingTunnelDomainWins() {
        DnsmasqChain c = new DnsmasqChain("example.com", "t.example.com")
                .dns("query[TXT] aerukz4jvpg672fbukr2jjngu6ua.t.example.com from 10.0.0.8");
        assertThat(c.sink.tunnels)
                .singleElement()
                .extracting(Tunnel::domainIndex)
                .isEqualTo(1);
        assertThat(c.sink.queries.get(0).domain()).isEqualTo("t.example.com");
    }
}
