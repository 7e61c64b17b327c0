/**
 * Country and AS of an address from MaxMind DB files.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}, which here means "not set" (a
 * database not configured). NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.geoip;

import org.jspecify.annotations.NullMarked;
