package io.routerlog.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainFilterTest {
    private static boolean ignored(DomainFilter f, String name) {
        byte[] b = ("xx" + name + "yy").getBytes(StandardCharsets.US_ASCII);
        return f.matches(b, 2, name.length());
    }

    @Test
    void aNameMatchesItselfAndEverythingUnderIt() {
        DomainFilter f = DomainFilter.of(List.of("Example.COM."));
        assertThat(ignored(f, "example.com")).isTrue();
        assertThat(ignored(f, "www.example.com")).isTrue();
        assertThat(ignored(f, "a.b.example.com")).isTrue();
        assertThat(ignored(f, "notexample.com")).isFalse();
        assertThat(ignored(f, "example.com.evil.org")).isFalse();
        assertThat(ignored(f, "com")).isFalse();
    }

    @Test
    void patternsMatchTheWholeName() {
        DomainFilter f = DomainFilter.of(List.of("*.cdn.*", "tracker?.net", "ads*"));
        assertThat(ignored(f, "img.cdn.example.org")).isTrue();
        assertThat(ignored(f, "cdn.example.org")).isFalse();
        assertThat(ignored(f, "tracker7.net")).isTrue();
        assertThat(ignored(f, "tracker.net")).isFalse();
        assertThat(ignored(f, "tracker77.net")).isFalse();
        assertThat(ignored(f, "adserver.example")).isTrue();
        assertThat(ignored(f, "myads.example")).isFalse();
    }

    @Test
    void noPatternsMatchNothing() {
        DomainFilter f = DomainFilter.of(List.of());
        assertThat(f.isEmpty()).isTrue();
        assertThat(ignored(f, "example.com")).isFalse();
    }
}
