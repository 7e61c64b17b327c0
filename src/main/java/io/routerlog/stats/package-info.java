/**
 * Shared counters of the receive path and of the packet sources (messages per transport, drops by reason, dnsmasq
 * lines by kind, messages per program), and the throttle that keeps log lines about bad input rare.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.stats;

import org.jspecify.annotations.NullMarked;
