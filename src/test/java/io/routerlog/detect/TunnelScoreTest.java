package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.testing.DnsttClientNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.assertj.core.api.AbstractBooleanAssert;
import org.junit.jupiter.api.Test;

/** Scores of name streams shaped like tunnels and like the ordinary traffic that resembles them. */
class TunnelScoreTest {
    private static final double THRESHOLD = TunnelScore.DEFAULT_THRESHOLD;

    /** The activity of one domain after these (name, qtype) queries, measured as the flush measures them. */
    static DomainActivity activity(List<String> names, List<String> qtypes) {
        RegistrableDomains registrable = new RegistrableDomains();
        NameShape shape = new NameShape();
        DistinctSample sample = new DistinctSample();
        long unusual = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int start = registrable.start(name);
            if (shape.measure(name, start - 1)) {
                sample.add(shape.hash(), shape.pack());
            }
            if (QueryTypes.isUnusual(qtypes.get(i))) {
                unusual++;
            }
        }
        return new DomainActivity(names.size(), unusual, 0, 0, sample);
    }

    static DomainActivity activity(List<String> names, String qtype) {
        return activity(names, Collections.nCopies(names.size(), qtype));
    }

    /** Whether the activity is a suspect, with what it scored as the description of a failure. */
    private static AbstractBooleanAssert<?> assertFlagged(DomainActivity a) {
        TunnelScore.Verdict v = TunnelScore.of(a);
        String seen = String.format(
                Locale.ROOT,
                "score %.1f %s distinct=%d len=%.1f label=%.1f entropy=%.2f info=%d",
                v.score(),
                v.reasons(),
                a.names().distinct(),
                a.names().meanLength(),
                a.names().meanLongestLabel(),
                a.names().meanEntropy(),
                a.information());
        return assertThat(TunnelScore.suspect(a, v, THRESHOLD)).as(seen);
    }

    @Test
    void dnsttTransfersAndPollsAreFlagged() {
        Random r = new Random(1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[r.nextInt(40, 120)];
            r.nextBytes(data);
            names.add(DnsttClientNames.data(7, data, "t.tunnel-a.example").toLowerCase(Locale.ROOT));
        }
        assertFlagged(activity(names, "TXT")).isTrue();
    }

    @Test
    void slowHexExfiltrationOverAQueriesIsFlagged() {
        Random r = new Random(2);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] chunk = new byte[25];
            r.nextBytes(chunk);
            names.add(i + "." + HexFormat.of().formatHex(chunk) + ".x.exfil.example");
        }
        assertFlagged(activity(names, "A")).isTrue();
    }

    @Test
    void hashedCdnNamesAreLeftAlone() {
        Random r = new Random(3);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            names.add("h" + Long.toHexString(r.nextLong()) + ".edge.cdn-example.net");
        }
        assertFlagged(activity(names, "A")).isFalse();
    }

    @Test
    void adFramesWithRandomThirtyTwoCharacterNamesAreLeftAlone() {
        Random r = new Random(4);
        List<String> names = new ArrayList<>();
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 250; i++) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < 32; c++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            names.add(b + ".safeframe.googlesyndication.com");
        }
        assertFlagged(activity(names, "A")).isFalse();
    }

    @Test
    void namesUnderAPrivateSuffixOfTheListAreEachTheirOwnDomain() {
        // cloudfront.net is in the list's private section: d123.cloudfront.net is a registrable domain itself
        RegistrableDomains registrable = new RegistrableDomains();
        assertThat(registrable.start("d1a2b3c4.cloudfront.net")).isZero();
        assertThat(registrable.start("www.example.co.uk")).isEqualTo(4);
        assertThat(registrable.start("a.b.t.tunnel.test")).isEqualTo(6);
        assertThat(registrable.start("printer.lan")).isZero();
        assertThat(registrable.start("lan")).isEqualTo(-1);
        assertThat(registrable.start("co.uk")).isEqualTo(-1);
        assertThat(registrable.start("4.3.2.1.in-addr.arpa")).isEqualTo(-1);
    }

    @Test
    void manyShortNamesUnderOneDomainAreLeftAlone() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            names.add("host" + i + ".tiles.maps.example");
        }
        assertFlagged(activity(names, "AAAA")).isFalse();
    }
}
