/**
 * The events the parsers report and the rules stage reports on ({@link io.routerlog.event.EventSink}): DNS queries
 * and reply outcomes, DHCP changes, firewall packets, HTTP requests and DNSTT traffic. {@code DnsQuery} and
 * {@code TunnelQuery} are flyweights refilled per message.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.event;

import org.jspecify.annotations.NullMarked;
