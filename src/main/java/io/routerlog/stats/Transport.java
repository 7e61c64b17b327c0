package io.routerlog.stats;

/** How a syslog message reached routerlog; the {@code transport} label of {@code routerlog_syslog_messages_total}. */
public enum Transport {
    UDP("udp"),
    TCP("tcp"),
    /** TCP with TLS (RFC 5425). */
    TLS("tls");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
