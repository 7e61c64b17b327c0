package io.routerlog.stats;

/** What a dnsmasq log line says; the {@code kind} label of {@code routerlog_dnsmasq_lines_total}. */
public enum DnsmasqLineKind {
    QUERY("query"),
    FORWARDED("forwarded"),
    REPLY("reply"),
    CACHED("cached"),
    CONFIG("config"),
    HOSTS("hosts"),
    DHCP_NAME("dhcp_name"),
    DNSSEC("dnssec"),
    NON_QUERY("non_query"),
    DHCP_ACK("dhcp_ack"),
    DHCP_RELEASE("dhcp_release"),
    DHCP_OTHER("dhcp_other"),
    DHCP_DETAIL("dhcp_detail"),
    /** Start-up, configuration and warning lines. */
    OTHER("other");

    private final String label;

    DnsmasqLineKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
