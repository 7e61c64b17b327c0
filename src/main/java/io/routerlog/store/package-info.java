/**
 * The embedded Hazelcast member, its maps, and the stored types and entry processors.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}, which here means "not set" (no such
 * entry, a cluster setting not given). NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.store;

import org.jspecify.annotations.NullMarked;
