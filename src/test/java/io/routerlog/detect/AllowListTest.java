package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowListTest {
    private final RegistrableDomains registrable = new RegistrableDomains();

    private boolean allows(AllowList list, String name) {
        return list.allows(name, registrable.start(name));
    }

    @Test
    void knownLookupServicesAndTheUsersDomainsWithTheNamesUnderThem() {
        AllowList list = new AllowList(List.of("vpn.example.net", "backup.test"));
        assertThat(allows(list, "4.3.2.1.zen.spamhaus.org")).isTrue();
        assertThat(allows(list, "0.0.0.0.1.0.0.4e.abcdef.sophosxl.net")).isTrue();
        assertThat(allows(list, "x.y.backup.test")).isTrue();
        assertThat(allows(list, "backup.test")).isTrue();
        assertThat(allows(list, "abc.vpn.example.net")).isTrue();
        assertThat(allows(list, "vpn.example.net")).isTrue();
        assertThat(allows(list, "other.example.net")).isFalse();
        assertThat(allows(list, "spamhaus.org.evil.test")).isFalse();
        assertThat(allows(list, "notspamhaus.org")).isFalse();
    }
}
