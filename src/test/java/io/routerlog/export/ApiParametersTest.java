package io.routerlog.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Parsing and checking the query API's parameters, with the exact messages a client gets. */
class ApiParametersTest {
    private static final Set<String> ALL = Set.of("limit", "client", "domain", "router");

    private static ApiParameters parse(@Nullable String query) {
        return ApiParameters.parse(query, ALL);
    }

    private static void bad(Runnable r, String message) {
        assertThatThrownBy(r::run)
                .isInstanceOf(ApiParameters.BadParameter.class)
                .hasMessage(message);
    }

    @Test
    void limitIsANumberFromOneToAThousandWithADefault() {
        assertThat(parse("").limit(10)).isEqualTo(10);
        assertThat(parse(null).limit(7)).isEqualTo(7);
        assertThat(parse("limit=1").limit(10)).isEqualTo(1);
        assertThat(parse("limit=1000").limit(10)).isEqualTo(1000);
        assertThat(parse("limit=0042").limit(10)).isEqualTo(42);
        for (String v : new String[] {"abc", "0", "1001", "-1", "", "1.5", " 5", "99999999999", "+3"}) {
            bad(() -> ApiParameters.limit(v), "limit must be a number from 1 to 1000: " + v);
        }
        bad(() -> parse("limit=x").limit(10), "limit must be a number from 1 to 1000: x");
    }

    @Test
    void domainsAreComparedInTheirStoredForm() {
        assertThat(parse("domain=GitHub.COM.").domain()).isEqualTo("github.com");
        assertThat(parse("domain=github.com").domain()).isEqualTo("github.com");
        assertThat(parse("").domain()).isNull();
        bad(() -> parse("domain=").domain(), "domain must be a name of 1 to 253 characters: ");
        bad(() -> parse("domain=.").domain(), "domain must be a name of 1 to 253 characters: .");
        bad(() -> parse("domain=a%0Ab").domain(), "domain must be a name of 1 to 253 characters: a\\u000ab");
        assertThat(parse("domain=" + "a".repeat(253)).domain()).hasSize(253);
    }

    @Test
    void clientsAndRoutersAreTakenAsTheMetricsShowThem() {
        assertThat(parse("client=fd00::5").client()).isEqualTo("fd00::5");
        assertThat(parse("client=192.168.1.7&router=OpenWrt").router()).isEqualTo("OpenWrt");
        assertThat(parse("").client()).isNull();
        assertThat(parse("").router()).isNull();
        bad(() -> parse("client=").client(), "client must be a client address as the metrics show it: ");
        bad(() -> parse("client=a+b").client(), "client must be a client address as the metrics show it: a b");
        bad(() -> parse("router=%09").router(), "router must be a router name as the metrics show it: \\u0009");
    }

    @Test
    void unknownRepeatedAndBadlyEncodedParametersAreRefused() {
        bad(() -> parse("limit=1&limit=2"), "limit is given more than once");
        bad(() -> parse("foo=1"), "unknown parameter: foo (this path takes client, domain, limit, router)");
        bad(() -> ApiParameters.parse("x", Set.of()), "unknown parameter: x (this path takes none)");
        bad(() -> parse("limit=%zz"), "bad query string: a % must be followed by two hexadecimal digits");
        assertThat(parse("limit=5").has("limit")).isTrue();
        assertThat(parse("limit=5").has("client")).isFalse();
    }

    @Test
    void errorsQuoteAtMostAHundredCharactersOnOneLine() {
        assertThat(ApiParameters.shown("a".repeat(150))).isEqualTo("a".repeat(100) + "...");
        assertThat(ApiParameters.shown("a\r\nb")).isEqualTo("a\\u000d\\u000ab");
    }
}
