/**
 * Routes syslog messages by program and reads what they say: dnsmasq queries, replies and DHCP, firewall and
 * HAProxy lines, dnsmasq lease files, and DNS messages from packets. Reports raw events to an
 * {@link io.routerlog.event.EventSink}.
 *
 * <p>Null-marked: a reference is never null unless declared {@code @Nullable}. NullAway checks this at compile time.
 */
@NullMarked
package io.routerlog.parser;

import org.jspecify.annotations.NullMarked;
