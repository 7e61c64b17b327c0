package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.IpText;
import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.EventSink;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * dnsmasq's DHCP lines, once {@link DnsmasqParser} has skipped their prefixes: {@code DHCPACK}/{@code DHCPREPLY}
 * report the identity of an address, {@code DHCPRELEASE} its end; the other DHCP messages and the details that
 * {@code log-dhcp} writes under a transaction id are only counted.
 *
 * <p>These lines are rare next to the DNS lines (one per lease renewal), so their fields are read as strings: the
 * events they become hold strings anyway.
 */
final class DnsmasqDhcpParser {
    /** A DHCP client id (MAC or DUID in hex with colons) is at most 255 bytes: 765 characters. */
    static final int MAX_CLIENT_ID_LENGTH = 765;
    /** Longer than any hostname dnsmasq accepts from a client. */
    static final int MAX_HOSTNAME_LENGTH = 255;

    private final EventSink sink;
    private final PipelineCounters counters;
    private final LongSupplier clock;
    private byte[] routerBuf = new byte[0];
    private int routerOff;
    private int routerLen;

    /** @param clock stamps the events */
    DnsmasqDhcpParser(EventSink sink, PipelineCounters counters, LongSupplier clock) {
        this.sink = sink;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * What follows {@code DHCPxxx(iface) } on a DHCP line.
     *
     * @param address the IP address, empty when the line starts with a client id instead (DHCPv6 lines without
     *     address)
     * @param clientId the MAC or DUID, empty when the line has none
     * @param rest the hostname, or on a DHCPv6 reply possibly a status ({@code deprecated}, {@code address
     *     invalid}, ...); empty when there is none
     */
    record Fields(String address, String clientId, String rest) {}

    /** The router of the lines that follow: {@code b[off, off+len)}, valid while they are parsed. */
    void router(byte[] b, int off, int len) {
        routerBuf = b;
        routerOff = off;
        routerLen = len;
    }

    private String router() {
        return Bytes.decode(routerBuf, routerOff, routerLen);
    }

    /**
     * Reports or counts {@code b[p, end)} when it is one of dnsmasq's DHCP lines.
     *
     * @param transactionId the line started with a {@code log-dhcp} transaction id
     * @return false when it is not, and nothing was counted
     */
    boolean parse(byte[] b, int p, int end, boolean transactionId) {
        if (Bytes.startsWith(b, p, end, "DHCPACK(")) {
            ack(fields(b, p, end), false);
        } else if (Bytes.startsWith(b, p, end, "DHCPREPLY(")) {
            ack(fields(b, p, end), true);
        } else if (Bytes.startsWith(b, p, end, "DHCPRELEASE(")) {
            release(fields(b, p, end));
        } else if (isDhcpMessage(b, p, end)) {
            counters.dnsmasqLine(DnsmasqLineKind.DHCP_OTHER);
        } else if (transactionId) {
            counters.dnsmasqLine(DnsmasqLineKind.DHCP_DETAIL);
        } else {
            return false;
        }
        return true;
    }

    /**
     * {@code DHCPACK(iface) IP MAC [HOSTNAME]} or {@code DHCPREPLY(iface) IPV6 DUID [HOSTNAME]}. A DHCPv6 reply may
     * end in a status instead of a hostname or carry no address: then no identity is learnt.
     */
    private void ack(@Nullable Fields fields, boolean dhcpv6Reply) {
        if (fields == null) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        counters.dnsmasqLine(DnsmasqLineKind.DHCP_ACK);
        String hostname = fields.rest();
        if (fields.address().isEmpty()
                || fields.clientId().isEmpty()
                || (dhcpv6Reply && (hostname.indexOf(' ') >= 0 || hostname.equals("deprecated")))) {
            return;
        }
        sink.lease(new DhcpLease(
                router(), fields.address(), Duids.macOf(fields.clientId()), hostname, clock.getAsLong(), 0));
    }

    /** {@code DHCPRELEASE(iface) IP MAC}; DHCPv6 releases that name no address are only counted. */
    private void release(@Nullable Fields fields) {
        if (fields == null) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        counters.dnsmasqLine(DnsmasqLineKind.DHCP_RELEASE);
        if (!fields.address().isEmpty()) {
            sink.release(
                    new DhcpRelease(router(), fields.address(), Duids.macOf(fields.clientId()), clock.getAsLong()));
        }
    }

    /**
     * The fields of the DHCP line at {@code b[p, end)}; null when it is not what dnsmasq writes (no interface, or
     * starting with neither an address nor a client id, or fields longer than dnsmasq's).
     */
    static @Nullable Fields fields(byte[] b, int p, int end) {
        int close = Bytes.indexOf(b, p, end, (byte) ')');
        if (close < 0 || close + 2 > end || b[close + 1] != ' ') {
            return null;
        }
        String rest = Bytes.raw(b, close + 2, end - close - 2).trim();
        String[] parts = rest.split(" +", 3);
        if (parts.length == 0 || parts[0].isEmpty()) {
            return null;
        }
        if (!IpText.isAddress(parts[0])) {
            if (!Duids.isHexOctets(parts[0])) {
                return null;
            }
            return new Fields(
                    "",
                    parts[0],
                    parts.length > 1 ? rest.substring(parts[0].length()).trim() : "");
        }
        String mac = parts.length > 1 ? parts[1] : "";
        String hostname = parts.length > 2 ? parts[2].trim() : "";
        if (mac.length() > MAX_CLIENT_ID_LENGTH || hostname.length() > MAX_HOSTNAME_LENGTH) {
            return null; // not what dnsmasq writes: a hostname is a DNS label, a client id at most 255 bytes
        }
        return new Fields(parts[0], mac, hostname);
    }

    /** {@code DHCP} and a message name in capitals, directly followed by the interface in parentheses. */
    private static boolean isDhcpMessage(byte[] b, int p, int end) {
        if (!Bytes.startsWith(b, p, end, "DHCP")) {
            return false;
        }
        int i = p + 4;
        while (i < end && ((b[i] >= 'A' && b[i] <= 'Z') || b[i] == '-')) {
            i++;
        }
        return i > p + 4 && i < end && b[i] == '(';
    }
}
