package io.routerlog.event;

import java.util.Objects;

/**
 * The identity of a client address: its MAC (or, for DHCPv6 clients without one, the DUID) and hostname, empty
 * when the client sent none. {@code expiresAtMillis} is 0 when unknown (log lines), else the lease end from a
 * lease file; {@code seenAtMillis} orders updates for the same address.
 */
public record DhcpLease(String ip, String mac, String hostname, long seenAtMillis, long expiresAtMillis)
        implements DhcpEvent {
    public DhcpLease {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(hostname, "hostname");
    }
}
