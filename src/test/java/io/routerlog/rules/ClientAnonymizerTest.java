package io.routerlog.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientAnonymizerTest {
    /** What the rules store for an address written as {@code client}: canonical, then anonymized. */
    private static String stored(ClientAnonymizer a, String client) {
        ClientAddresses addresses = new ClientAddresses(a);
        byte[] b = client.getBytes(StandardCharsets.US_ASCII);
        int e = addresses.lookup(b, 0, b.length);
        assertThat(e).as(client).isNotNegative();
        return new String(addresses.stored(e), StandardCharsets.US_ASCII);
    }

    @Test
    void truncationKeepsTheNetwork() {
        ClientAnonymizer a = new ClientAnonymizer(ClientAnonymizer.Mode.TRUNCATE, null);
        assertThat(stored(a, "192.168.1.23")).isEqualTo("192.168.1.0");
        assertThat(stored(a, "10.0.0.255")).isEqualTo("10.0.0.0");
        assertThat(stored(a, "2001:db8:1234:5678::1")).isEqualTo("2001:db8:1234::");
        assertThat(stored(a, "fe80::1%br-lan")).isEqualTo("fe80::");
        assertThat(stored(a, "::ffff:192.0.2.77")).isEqualTo("192.0.2.0");
        assertThat(a.anonymize("not-an-address")).isEqualTo("unknown");
    }

    @Test
    void hashingIsKeyedStableAndShort() {
        ClientAnonymizer a = new ClientAnonymizer(
                ClientAnonymizer.Mode.HASH, "k1-sixteen-chars".getBytes(StandardCharsets.US_ASCII));
        ClientAnonymizer b = a.copy();
        ClientAnonymizer other = new ClientAnonymizer(
                ClientAnonymizer.Mode.HASH, "k2-sixteen-chars".getBytes(StandardCharsets.US_ASCII));
        String h = stored(a, "192.168.1.23");
        assertThat(h).matches("anon-[0-9a-f]{16}");
        assertThat(stored(b, "192.168.1.23")).isEqualTo(h);
        assertThat(stored(a, "192.168.1.24")).isNotEqualTo(h);
        assertThat(stored(other, "192.168.1.23")).isNotEqualTo(h);
        assertThatThrownBy(() -> new ClientAnonymizer(ClientAnonymizer.Mode.HASH, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySpellingOfAnAddressGetsOnePseudonym() {
        ClientAnonymizer a = new ClientAnonymizer(
                ClientAnonymizer.Mode.HASH, "k1-sixteen-chars".getBytes(StandardCharsets.US_ASCII));
        String h = stored(a, "192.168.1.23");
        assertThat(stored(a, "::ffff:192.168.1.23")).isEqualTo(h);
        assertThat(stored(a, "::FFFF:C0A8:0117")).isEqualTo(h);
        assertThat(stored(a, "2001:DB8:0:0:0:0:0:1")).isEqualTo(stored(a, "2001:db8::1"));
    }

    @Test
    void noneLeavesAddressesAloneButCanonical() {
        ClientAnonymizer none = ClientAnonymizer.none();
        assertThat(none.active()).isFalse();
        assertThat(stored(none, "192.168.1.23")).isEqualTo("192.168.1.23");
        assertThat(stored(none, "::ffff:192.168.1.23")).isEqualTo("192.168.1.23");
        assertThat(stored(none, "FE80:0:0:0:0:0:0:1%br-lan")).isEqualTo("fe80::1%br-lan");
    }
}
