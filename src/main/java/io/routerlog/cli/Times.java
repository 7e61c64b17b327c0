package io.routerlog.cli;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Times of the API (ISO-8601, UTC) in local time: {@code HH:MM:SS} today, with the date on other days. */
final class Times {
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter OTHER_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Clock clock;

    Times(Clock clock) {
        this.clock = clock;
    }

    /** {@code iso} in the clock's zone; a text that is not a time as it is. */
    String format(String iso) {
        ZonedDateTime t;
        try {
            t = OffsetDateTime.parse(iso).atZoneSameInstant(clock.getZone());
        } catch (DateTimeParseException e) {
            return iso;
        }
        return t.toLocalDate().equals(LocalDate.now(clock)) ? TODAY.format(t) : OTHER_DAY.format(t);
    }
}
