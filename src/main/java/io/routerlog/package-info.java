/**
 * The {@code routerlog} command: its options, the components of a node started in order and closed in reverse
 * ({@link io.routerlog.RouterLog}), ingesting capture files, and the small commands beside them.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog;

import org.jspecify.annotations.NullMarked;
