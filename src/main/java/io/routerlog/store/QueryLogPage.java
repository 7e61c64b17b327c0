package io.routerlog.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a query log search, newest first.
 *
 * @param items  the matching entries, newest first
 * @param next   a cursor for {@code before=} that continues with older matches; null when there are none
 * @param newest a cursor of the first (newest) item, for {@code after=} to wait for newer ones (a live tail); null
 *               when the page is empty
 */
public record QueryLogPage(
        List<LoggedQuery> items,
        @Nullable String next,
        @Nullable String newest) {
    public QueryLogPage {
        items = List.copyOf(items);
    }
}
