/**
 * Prometheus collectors, the client tables and the HTTP endpoints.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}, which here means "not set" (no TLS,
 * no authentication, no scrape parameters). NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.export;

import org.jspecify.annotations.NullMarked;
