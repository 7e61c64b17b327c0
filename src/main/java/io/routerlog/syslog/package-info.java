/**
 * Reads the syslog header (RFC 3164 as OpenWrt's logd writes it, or RFC 5424) of each frame into a reused
 * flyweight without allocating, and counts the messages that are not syslog by reason.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.syslog;

import org.jspecify.annotations.NullMarked;
