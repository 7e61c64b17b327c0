/**
 * Tools beside the receiver: the load generator, which sends realistic resolver traffic as dnsmasq would log it.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.tools;

import org.jspecify.annotations.NullMarked;
