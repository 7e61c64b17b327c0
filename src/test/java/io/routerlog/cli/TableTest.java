package io.routerlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tables that line up and fit the width; times in local time. */
class TableTest {
    private static Table domains() {
        return new Table("…")
                .column("QUERIES", Table.Align.RIGHT, Table.Cut.NONE)
                .column("CLIENTS", Table.Align.RIGHT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE);
    }

    @Test
    void columnsLineUpWithNumbersOnTheRightAndNoTrailingBlanks() {
        List<String> lines = domains()
                .row("1234", "17", "github.com")
                .row("5", "1", "a.example")
                .render(80);
        assertThat(lines)
                .containsExactly(
                        "QUERIES  CLIENTS  DOMAIN", //
                        "   1234       17  github.com",
                        "      5        1  a.example");
    }

    @Test
    void aLongDomainIsCutInTheMiddleToFitTheWidthKeepingItsEnd() {
        String longName = "a-very-long-label-of-a-content-delivery-network.eu-west-1.cdn.example.com";
        List<String> lines = domains().row("3", "2", longName).render(40);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(40));
        String cut = lines.get(1).substring(18);
        assertThat(cut).isEqualTo("a-very-lon…example.com");
        assertThat(lines.get(1)).startsWith("      3        2  a-very");
    }

    @Test
    void endCutKeepsTheStartAndAPlainEllipsisWhereUnicodeCannotBeShown() {
        Table t = new Table("...")
                .column("CLIENT", Table.Align.LEFT, Table.Cut.NONE)
                .column("HOSTNAME", Table.Align.LEFT, Table.Cut.END)
                .row("192.168.1.7", "living-room-television-with-a-long-name");
        List<String> lines = t.render(30);
        assertThat(lines.get(1)).isEqualTo("192.168.1.7  living-room-te...");
        assertThat(lines.get(1)).hasSize(30);
    }

    @Test
    void theWidestCuttableColumnGivesWayFirstAndNoneBelowItsMinimum() {
        Table t = new Table("…")
                .column("HOSTNAME", Table.Align.LEFT, Table.Cut.END)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE)
                .row("laptop", "x".repeat(60));
        assertThat(t.render(40).get(1)).hasSize(40).startsWith("laptop    x");
        // far too narrow: both at their minimum (8), the line wider than asked rather than unreadable
        assertThat(t.render(5).get(1)).isEqualTo("laptop    xxx…xxxx");
    }

    @Test
    void controlCharactersFromTheNetworkAreNotPrinted() {
        Table t = new Table("…")
                .column("HOSTNAME", Table.Align.LEFT, Table.Cut.END)
                .row("evil\u001b[2Jhost\u0007");
        assertThat(t.render(80).get(1)).isEqualTo("evil?[2Jhost?");
    }

    @Test
    void partsOfAStreamKeepTheirColumnsAligned() {
        int[] floor = new int[2];
        List<String> first = new Table("…")
                .column("CLIENT", Table.Align.LEFT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE)
                .row("2001:db8::1234:5678", "a.example")
                .render(80, floor, true);
        List<String> second = new Table("…")
                .column("CLIENT", Table.Align.LEFT, Table.Cut.NONE)
                .column("DOMAIN", Table.Align.LEFT, Table.Cut.MIDDLE)
                .row("10.0.0.1", "b.example")
                .render(80, floor, false);
        assertThat(first).containsExactly("CLIENT               DOMAIN", "2001:db8::1234:5678  a.example");
        assertThat(second).containsExactly("10.0.0.1             b.example");
    }

    @Test
    void timesAreLocalWithTheDateOnlyOnOtherDays() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneId.of("Europe/Berlin"));
        Times times = new Times(clock);
        assertThat(times.format("2026-12-02T10:00:00.123Z")).isEqualTo("11:00:00");
        assertThat(times.format("2026-12-01T23:00:01Z")).isEqualTo("00:00:01");
        assertThat(times.format("2026-12-01T22:59:59Z")).isEqualTo("2026-12-01 23:59:59");
        assertThat(times.format("2026-12-01T21:00:00Z")).isEqualTo("2026-12-01 22:00:00");
        assertThat(times.format("2026-12-02T10:00:00+02:00")).isEqualTo("09:00:00");
        assertThat(times.format("yesterday")).isEqualTo("yesterday");
    }
}
