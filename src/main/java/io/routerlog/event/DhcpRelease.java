package io.routerlog.event;

import java.util.Objects;

/** A client released {@code ip}; the identity is forgotten if it still belongs to {@code mac}. */
public record DhcpRelease(String router, String ip, String mac, long seenAtMillis) implements DhcpEvent {
    public DhcpRelease {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
    }
}
