package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientAnonymizerTest {
    private static String apply(ClientAnonymizer a, String client) {
        byte[] b = client.getBytes(StandardCharsets.US_ASCII);
        return new String(a.apply(b, 0, b.length), StandardCharsets.UTF_8);
    }

    @Test
    void truncationKeepsTheNetwork() {
        ClientAnonymizer a = new ClientAnonymizer(ClientAnonymizer.Mode.TRUNCATE, null);
        assertThat(apply(a, "192.168.1.23")).isEqualTo("192.168.1.0");
        assertThat(apply(a, "10.0.0.255")).isEqualTo("10.0.0.0");
        assertThat(apply(a, "2001:db8:1234:5678::1")).isEqualTo("2001:db8:1234::");
        assertThat(apply(a, "fe80::1%br-lan")).isEqualTo("fe80:0:0::");
        assertThat(apply(a, "::ffff:192.0.2.77")).isEqualTo("192.0.2.0");
        assertThat(apply(a, "not-an-address")).isEqualTo("unknown");
        assertThat(apply(a, "192.168.1.23")).as("cached").isEqualTo("192.168.1.0");
    }

    @Test
    void hashingIsKeyedStableAndShort() {
        ClientAnonymizer a = new ClientAnonymizer(ClientAnonymizer.Mode.HASH, "k1-sixteen-chars".getBytes());
        ClientAnonymizer b = a.copy();
        ClientAnonymizer other = new ClientAnonymizer(ClientAnonymizer.Mode.HASH, "k2-sixteen-chars".getBytes());
        String h = apply(a, "192.168.1.23");
        assertThat(h).matches("anon-[0-9a-f]{16}");
        assertThat(apply(b, "192.168.1.23")).isEqualTo(h);
        assertThat(apply(a, "192.168.1.24")).isNotEqualTo(h);
        assertThat(apply(other, "192.168.1.23")).isNotEqualTo(h);
        assertThatThrownBy(() -> new ClientAnonymizer(ClientAnonymizer.Mode.HASH, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneLeavesAddressesAlone() {
        ClientAnonymizer none = ClientAnonymizer.none();
        assertThat(none.active()).isFalse();
        assertThat(none.anonymize("192.168.1.23")).isEqualTo("192.168.1.23");
    }
}
