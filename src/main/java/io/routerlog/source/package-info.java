/**
 * Where data comes from: the syslog listeners (UDP, TCP, TLS on Netty) and who may connect to them, the dnsmasq
 * lease file, capture files and live capture, decoded from link layer to DNS message.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.source;

import org.jspecify.annotations.NullMarked;
