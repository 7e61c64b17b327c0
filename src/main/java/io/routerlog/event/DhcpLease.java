package io.routerlog.event;

import java.util.Objects;

/**
 * The identity of a client address of {@code router}: its MAC (or, for DHCPv6 clients without one, the DUID), hostname and DHCP
 * client id, empty when unknown. {@code expiresAtMillis} is 0 when unknown (log lines), else the lease end from a
 * lease file; {@code seenAtMillis} orders updates for the same address.
 */
public record DhcpLease(
        String router, String ip, String mac, String hostname, String clientId, long seenAtMillis, long expiresAtMillis)
        implements DhcpEvent {
    public DhcpLease {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** A lease without client id, as DHCPACK lines give it. */
    public DhcpLease(String router, String ip, String mac, String hostname, long seenAtMillis, long expiresAtMillis) {
        this(router, ip, mac, hostname, "", seenAtMillis, expiresAtMillis);
    }
}
