package io.routerlog.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTypesTest {
    @Test
    void typesTunnelsCarryDataInAreUnusual() {
        for (String t : new String[] {"TXT", "NULL", "CNAME", "MX", "ANY", "TYPE10", "TYPE65280", "TYPE65399"}) {
            assertThat(QueryTypes.isUnusual(t)).as(t).isTrue();
        }
        for (String t :
                new String[] {"A", "AAAA", "HTTPS", "SVCB", "PTR", "SRV", "SOA", "TYPE65", "TYPE65535", "TYPE"}) {
            assertThat(QueryTypes.isUnusual(t)).as(t).isFalse();
        }
    }
}
