/**
 * Settings from flags, {@code ROUTERLOG_*} variables and the config file, validated into {@link Settings}.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}, which here means "not set" (an
 * option not given, a file not configured). NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.config;

import org.jspecify.annotations.NullMarked;
