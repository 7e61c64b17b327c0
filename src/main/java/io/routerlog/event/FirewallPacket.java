package io.routerlog.event;

/**
 * A packet logged by a firewall LOG rule (iptables or nftables): the rule's prefix, source and destination
 * address, protocol and destination port (empty for protocols without ports).
 */
public record FirewallPacket(String prefix, String src, String dst, String proto, String dport) {}
