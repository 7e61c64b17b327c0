package io.routerlog.aggregate;

import java.time.Duration;

/**
 * How counts move from memory to the store.
 *
 * @param interval          time between two flushes
 * @param dnsttActiveWindow a DNSTT session is active while it sent a query within this time
 */
public record FlushSettings(Duration interval, Duration dnsttActiveWindow) {}
