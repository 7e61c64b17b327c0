package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NameShapeTest {
    private final NameShape shape = new NameShape();

    private boolean measure(String name, String domain) {
        return shape.measure(name, name.length() - domain.length() - 1);
    }

    @Test
    void measuresThePartBelowTheDomain() {
        assertThat(measure("abcd.ef.example.com", "example.com")).isTrue();
        assertThat(shape.length()).isEqualTo(6); // dots not counted
        assertThat(shape.longestLabel()).isEqualTo(4);
        // six different bytes: log2(6) bits each
        assertThat(shape.entropyCentibits() / 100.0).isCloseTo(Math.log(6) / Math.log(2), within(0.01));
        assertThat(NameShape.length(shape.pack())).isEqualTo(6);
        assertThat(NameShape.longestLabel(shape.pack())).isEqualTo(4);
        assertThat(NameShape.entropyCentibits(shape.pack())).isEqualTo(shape.entropyCentibits());
    }

    @Test
    void oneRepeatedByteHasNoEntropyAndTheSameNameTheSameHash() {
        assertThat(measure("aaaa.example.com", "example.com")).isTrue();
        assertThat(shape.entropyCentibits()).isZero();
        long h = shape.hash();
        assertThat(h).isNotNegative();
        assertThat(measure("aaaa.example.org", "example.org")).isTrue();
        assertThat(shape.hash()).isEqualTo(h);
        assertThat(measure("aaab.example.com", "example.com")).isTrue();
        assertThat(shape.hash()).isNotEqualTo(h);
    }

    @Test
    void anEscapedByteCountsAsOne() {
        // \200\201 are two bytes of a binary label (as iodine's raw encodings send them)
        assertThat(measure("\\200\\201x.example.com", "example.com")).isTrue();
        assertThat(shape.length()).isEqualTo(3);
        assertThat(shape.longestLabel()).isEqualTo(3);
        assertThat(shape.entropyCentibits() / 100.0).isCloseTo(Math.log(3) / Math.log(2), within(0.01));
    }

    @Test
    void serviceNamesAndEmptyPartsAreNotMeasured() {
        assertThat(measure("_ldap._tcp.dc.example.com", "example.com")).isFalse();
        assertThat(measure("lb._dns-sd._udp.example.com", "example.com")).isFalse();
        assertThat(shape.measure("example.com", -1)).isFalse();
        assertThat(shape.measure("example.com", 0)).isFalse();
    }
}
