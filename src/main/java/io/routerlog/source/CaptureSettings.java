package io.routerlog.source;

import java.util.Optional;

/**
 * Where DNS packets come from besides files.
 *
 * @param iface the interface captured live, when there is one
 * @param port  the DNS port, in live capture and in files
 */
public record CaptureSettings(Optional<String> iface, int port) {}
