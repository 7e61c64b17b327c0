package io.routerlog.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {
    private static @Nullable String canonical(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[IpText.MAX_TEXT];
        int n = IpText.canonical(b, 0, b.length, new byte[16], out, 0);
        return n < 0 ? null : new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource({
        "192.168.1.23, 192.168.1.23",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "::ffff:192.168.1.23, 192.168.1.23",
        "::FFFF:C0A8:0117, 192.168.1.23",
        "0:0:0:0:0:ffff:192.168.1.23, 192.168.1.23",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "fe80::1%br-lan, fe80::1%br-lan",
        "FE80:0:0:0:0:0:0:1%eth0.2, fe80::1%eth0.2",
        "fd00::1a2b, fd00::1a2b",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
    })
    void canonicalForms(String text, String canonical) {
        assertThat(canonical(text)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not-an-ip",
                "1.2\"}",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "1.2.3.4 ",
                " 1.2.3.4",
                "1..2.3",
                "1.2.3.4%eth0",
                "1:2:3:4:5:6:7:8:9",
                "1:::2",
                ":1::2",
                "1::2::3",
                "12345::",
                "1:",
                "::g",
                "fe80::1%",
                "fe80::1%a b",
                "fe80::1%a/b",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::1.2.3",
                "1.2.3.4/24",
                "localhost"
            })
    void notAddresses(String text) {
        assertThat(canonical(text)).isNull();
        assertThat(IpText.isAddress(text)).isFalse();
    }

    @Test
    void agreesWithTheJdkOnRandomAddresses() throws Exception {
        Random r = new Random(42);
        byte[] out = new byte[IpText.MAX_TEXT];
        for (int i = 0; i < 20_000; i++) {
            byte[] a = new byte[r.nextBoolean() ? 4 : 16];
            r.nextBytes(a);
            if (a.length == 16 && r.nextInt(3) == 0) {
                Arrays.fill(a, 2 + r.nextInt(6), 10 + r.nextInt(6), (byte) 0); // runs of zeros
            }
            String jdk = InetAddress.getByAddress(a).getHostAddress();
            String ours = new String(out, 0, IpText.format(a, a.length, out, 0), StandardCharsets.ISO_8859_1);
            assertThat(InetAddress.getByName(ours)).as(jdk).isEqualTo(InetAddress.getByAddress(a));
            assertThat(canonical(jdk)).as(jdk).isEqualTo(ours);
        }
    }
}
