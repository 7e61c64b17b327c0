package io.routerlog.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
    private static String stored(byte[] name) {
        byte[] out = new byte[Names.capacity(name.length)];
        return new String(out, 0, Names.normalize(name, 0, name.length, out, 0), StandardCharsets.ISO_8859_1);
    }

    private static String stored(String name) {
        return stored(name.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "WWW.Example.COM|www.example.com",
                "example.org.|example.org",
                ".|.",
                "''|.",
                "<name unprintable>|<name unprintable>",
                "_dmarc.Example.com|_dmarc.example.com",
                "a\\b.test|a\\092b.test",
            })
    void storedForm(String name, String stored) {
        assertThat(stored(name)).isEqualTo(stored);
    }

    @Test
    void everyByteThatIsNotPrintableAsciiIsEscaped() {
        assertThat(stored("caf\u00e9.test")).isEqualTo("caf\\195\\169.test");
        assertThat(stored("b\u00dccher.de"))
                .as("only ASCII is lower-cased (RFC 4343)")
                .isEqualTo("b\\195\\156cher.de");
        assertThat(stored(new byte[] {'a', 0, 'b', '\n', 'c', 0x7f, (byte) 0xff}))
                .isEqualTo("a\\000b\\010c\\127\\255");
    }

    /**
     * The stored form is read eight bytes at a time where it can be: every byte value, at every place of a name
     * that spans whole words and a tail, gives what the rule says byte by byte.
     */
    @Test
    void everyByteAtEveryPlaceIsStoredByTheRule() {
        for (String name :
                new String[] {"Mail.EXAMPLE-1.co.UK_z", "A.b", "Exam.plE", "ExampLE.o", "www.EXAMPLE.Com!"}) {
            everyByteAtEveryPlace(name.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void everyByteAtEveryPlace(byte[] base) {
        for (int at = 0; at < base.length - 1; at++) { // not the last: a trailing dot is dropped
            for (int v = 0; v < 256; v++) {
                byte[] name = base.clone();
                name[at] = (byte) v;
                StringBuilder expected = new StringBuilder();
                for (byte c : name) {
                    int u = c & 0xff;
                    if (u >= 'A' && u <= 'Z') {
                        expected.append((char) (u + 32));
                    } else if (u >= 0x20 && u < 0x7f && u != '\\') {
                        expected.append((char) u);
                    } else {
                        expected.append(String.format("\\%03d", u));
                    }
                }
                assertThat(stored(name)).as("byte %d at %d", v, at).isEqualTo(expected.toString());
            }
        }
    }

    @Test
    void distinctInvalidUtf8NamesStayDistinct() {
        assertThat(stored(new byte[] {'x', (byte) 0xc3, '.', 't'}))
                .isNotEqualTo(stored(new byte[] {'x', (byte) 0xe2, '.', 't'}));
    }

    @Test
    void textIsEscapedLikeNamesButKeepsItsCase() {
        assertThat(Names.escape("Laptop Anna")).isEqualTo("Laptop Anna");
        assertThat(Names.escape("a\u0000b\tc\\")).isEqualTo("a\\000b\\009c\\092");
        assertThat(Names.escape("K\u00fcche")).isEqualTo("K\\252che");
    }

    private static String shortened(String name) {
        byte[] b = stored(name).getBytes(StandardCharsets.ISO_8859_1);
        int start = Names.shortenedStart(b, 0, b.length);
        return new String(b, start, b.length - start, StandardCharsets.ISO_8859_1);
    }

    private static String labels(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("q".repeat(62)).append(i % 10).append('.');
        }
        return s.toString();
    }

    @Test
    void overLongNamesKeepTheirRegistrableDomain() {
        assertThat(shortened(labels(5) + "t.exfil.Example.co.uk")).isEqualTo("example.co.uk");
        assertThat(shortened(labels(5) + "tunnel.someone.duckdns.org"))
                .as("private suffixes count")
                .isEqualTo("someone.duckdns.org");
        assertThat(shortened(labels(5) + "x.example.com")).isEqualTo("example.com");
    }

    @Test
    void withoutAPublicSuffixTheLastTwoLabelsAreKept() {
        assertThat(shortened(labels(5) + "nas.home.lan")).isEqualTo("home.lan");
        assertThat(shortened(labels(5) + "a\u0001b.example.com")).isEqualTo("example.com");
        assertThat(shortened("z".repeat(300))).isEqualTo("z".repeat(253));
        assertThat(shortened(labels(4) + "y".repeat(300))).hasSize(253);
        assertThat(shortened("q".repeat(100) + "." + labels(4) + "x.example.com"))
                .as("labels over 63 characters")
                .isEqualTo("example.com");
    }
}
