package io.routerlog.parser;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.text.Bytes;
import io.routerlog.text.IpText;
import java.util.function.LongSupplier;

/**
 * Reads the message part of dnsmasq's log lines and reports what they say to an {@link EventSink}.
 *
 * <p>Every query-log line may start with {@code SERIAL CLIENT/PORT } ({@code log-queries=extra}) or
 * {@code UDP|TCP SERIAL CLIENT/PORT } ({@code log-queries=proto}), and every DHCP line with a transaction id
 * ({@code log-dhcp}); these prefixes are skipped. Then:
 * <ul>
 *   <li>{@code query[TYPE] NAME from CLIENT}: one query of (client, name, type), as logged; {@code type=N} becomes
 *       {@code TYPEN}. The client must be an address (IPv4, or IPv6 with an optional {@code %zone}), else the line is
 *       a {@code bad_dnsmasq_line}. The rules stage puts client and name in their stored form;</li>
 *   <li>{@code forwarded}, {@code reply}, {@code cached}, {@code cached-stale}, {@code config}, hosts-file and
 *       {@code DHCP} name lines: a {@link ReplyOutcome};</li>
 *   <li>{@code DHCPACK}/{@code DHCPREPLY}: the identity of an address; {@code DHCPRELEASE}: its end;</li>
 *   <li>every other line is counted by kind and otherwise ignored.</li>
 * </ul>
 * The line buffer is rewritten in place (type names), so that no query allocates.
 */
public final class DnsmasqParser {
    /** A DHCP client id (MAC or DUID in hex with colons) is at most 255 bytes: 765 characters. */
    public static final int MAX_CLIENT_ID_LENGTH = 765;
    /** Longer than any hostname dnsmasq accepts from a client. */
    public static final int MAX_HOSTNAME_LENGTH = 255;
    /** Longer than any type mnemonic or {@code TYPE65535}. */
    public static final int MAX_QTYPE_LENGTH = 32;

    private final EventSink sink;
    private final PipelineCounters counters;
    private final LongSupplier clock;
    private final DnsQuery query = new DnsQuery();

    /**
     * A parser for one reading thread.
     *
     * @param sink  usually the rules stage
     * @param clock stamps DHCP events
     */
    public DnsmasqParser(EventSink sink, PipelineCounters counters, LongSupplier clock) {
        this.sink = sink;
        this.counters = counters;
        this.clock = clock;
    }

    /** Parses {@code b[off, off+len)}, the message after the syslog header. */
    public void parse(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && (b[end - 1] == ' ' || b[end - 1] == '\r')) {
            end--;
        }
        int p = off;
        boolean transactionId = false;
        if ((Bytes.startsWith(b, p, end, "UDP ") || Bytes.startsWith(b, p, end, "TCP "))
                && serialEnd(b, p + 4, end) > 0) {
            p += 4;
        }
        int serialEnd = serialEnd(b, p, end);
        if (serialEnd > 0) {
            int next = serialEnd + 1;
            int tokenEnd = tokenEnd(b, next, end);
            if (isAddressAndPort(b, next, tokenEnd)) {
                p = tokenEnd < end ? tokenEnd + 1 : tokenEnd;
            } else if (b[p] != '-') {
                p = next;
                transactionId = true;
            }
        }
        classify(b, p, end, transactionId);
    }

    private void classify(byte[] b, int p, int end, boolean transactionId) {
        if (Bytes.startsWith(b, p, end, "query[")) {
            parseQuery(b, p + 6, end);
        } else if (Bytes.startsWith(b, p, end, "forwarded ")) {
            outcome(DnsmasqLineKind.FORWARDED, ReplyOutcome.FORWARDED);
        } else if (Bytes.startsWith(b, p, end, "reply ")) {
            parseReply(b, p + 6, end);
        } else if (Bytes.startsWith(b, p, end, "cached-stale ")) {
            outcome(DnsmasqLineKind.CACHED, ReplyOutcome.CACHED_STALE);
        } else if (Bytes.startsWith(b, p, end, "cached ")) {
            outcome(DnsmasqLineKind.CACHED, ReplyOutcome.CACHED);
        } else if (Bytes.startsWith(b, p, end, "config ")) {
            int value = valueAfterIs(b, p + 7, end);
            outcome(DnsmasqLineKind.CONFIG, value >= 0 && isBlockAnswer(b, value, end)
                    ? ReplyOutcome.BLOCKED : ReplyOutcome.LOCAL);
        } else if (p < end && b[p] == '/' && valueAfterIs(b, p, end) >= 0) {
            outcome(DnsmasqLineKind.HOSTS, ReplyOutcome.LOCAL);
        } else if (Bytes.startsWith(b, p, end, "DHCP ")) {
            outcome(DnsmasqLineKind.DHCP_NAME, ReplyOutcome.LOCAL);
        } else if (Bytes.startsWith(b, p, end, "DHCPACK(")) {
            parseAck(b, p, end, false);
        } else if (Bytes.startsWith(b, p, end, "DHCPREPLY(")) {
            parseAck(b, p, end, true);
        } else if (Bytes.startsWith(b, p, end, "DHCPRELEASE(")) {
            parseRelease(b, p, end);
        } else if (isDhcpMessage(b, p, end)) {
            counters.dnsmasqLine(DnsmasqLineKind.DHCP_OTHER);
        } else if (Bytes.startsWith(b, p, end, "non-query opcode")) {
            counters.dnsmasqLine(DnsmasqLineKind.NON_QUERY);
        } else if (Bytes.startsWith(b, p, end, "validation ")) {
            int value = valueAfterIs(b, p, end);
            if (value >= 0 && Bytes.startsWith(b, value, end, "BOGUS")) {
                outcome(DnsmasqLineKind.DNSSEC, ReplyOutcome.BOGUS);
            } else {
                counters.dnsmasqLine(DnsmasqLineKind.DNSSEC);
            }
        } else if (Bytes.startsWith(b, p, end, "dnssec-") || Bytes.startsWith(b, p, end, "secure no DS")) {
            counters.dnsmasqLine(DnsmasqLineKind.DNSSEC);
        } else if (transactionId) {
            counters.dnsmasqLine(DnsmasqLineKind.DHCP_DETAIL);
        } else if (Bytes.indexOf(b, p, end, "query[") >= 0) {
            // a query in a layout dnsmasq does not write (a relay changed it?): visible, not lost among "other"
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
        } else {
            counters.dnsmasqLine(DnsmasqLineKind.OTHER);
        }
    }

    private void outcome(DnsmasqLineKind kind, ReplyOutcome outcome) {
        counters.dnsmasqLine(kind);
        sink.reply(outcome);
    }

    /** {@code p} is just after {@code query[}. */
    private void parseQuery(byte[] b, int p, int end) {
        int close = Bytes.indexOf(b, p, end, (byte) ']');
        if (close <= p || close + 1 >= end || b[close + 1] != ' ') {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        int from = lastIndexOf(b, close + 1, end, " from ");
        int client = from + 6;
        if (from < 0 || client >= end || Bytes.indexOf(b, client, end, (byte) ' ') >= 0) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        int typeLen = close - p;
        if (typeLen > MAX_QTYPE_LENGTH || end - client > IpText.MAX_TEXT || !IpText.isAddress(b, client, end - client)) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        if (Bytes.startsWith(b, p, close, "type=") && typeLen > 5) {
            // "type=65" -> "TYPE65", in place
            b[p] = 'T';
            b[p + 1] = 'Y';
            b[p + 2] = 'P';
            b[p + 3] = 'E';
            System.arraycopy(b, p + 5, b, p + 4, typeLen - 5);
            typeLen--;
        }
        int name = close + 2;
        counters.dnsmasqLine(DnsmasqLineKind.QUERY);
        sink.query(query.set(b, client, end - client, name, Math.max(0, from - name), p, typeLen));
    }

    /** {@code p} is just after {@code reply }. */
    private void parseReply(byte[] b, int p, int end) {
        if (Bytes.equalsAscii(b, p, end - p, "is truncated")) {
            outcome(DnsmasqLineKind.REPLY, ReplyOutcome.TRUNCATED);
            return;
        }
        if (Bytes.equalsAscii(b, p, end - p, "query is duplicate")) {
            outcome(DnsmasqLineKind.REPLY, ReplyOutcome.DUPLICATE);
            return;
        }
        int value = valueAfterIs(b, p, end);
        if (value < 0) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        int n = end - value;
        ReplyOutcome outcome;
        if (Bytes.equalsAscii(b, value, n, "NXDOMAIN")) {
            outcome = ReplyOutcome.NXDOMAIN;
        } else if (Bytes.startsWith(b, value, end, "NODATA")) {
            outcome = ReplyOutcome.NODATA;
        } else if (Bytes.equalsAscii(b, value, n, "SERVFAIL")) {
            outcome = ReplyOutcome.SERVFAIL;
        } else if (Bytes.equalsAscii(b, value, n, "REFUSED")) {
            outcome = ReplyOutcome.REFUSED;
        } else if (Bytes.equalsAscii(b, value, n, "not implemented") || Bytes.parseSmallInt(b, value, n) >= 0) {
            outcome = ReplyOutcome.ERROR;
        } else {
            outcome = ReplyOutcome.ANSWERED;
        }
        outcome(DnsmasqLineKind.REPLY, outcome);
    }

    private static boolean isBlockAnswer(byte[] b, int value, int end) {
        int n = end - value;
        return Bytes.equalsAscii(b, value, n, "0.0.0.0") || Bytes.equalsAscii(b, value, n, "::")
                || Bytes.equalsAscii(b, value, n, "NXDOMAIN") || Bytes.startsWith(b, value, end, "NODATA");
    }

    /**
     * {@code DHCPACK(iface) IP MAC [HOSTNAME]} or {@code DHCPREPLY(iface) IPV6 DUID [HOSTNAME]}. A DHCPv6 reply may
     * end in a status instead of a hostname ({@code deprecated}, {@code address invalid}, ...) or carry no address:
     * then no identity is learnt.
     */
    private void parseAck(byte[] b, int p, int end, boolean dhcpv6Reply) {
        String[] fields = dhcpFields(b, p, end);
        if (fields == null) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        counters.dnsmasqLine(DnsmasqLineKind.DHCP_ACK);
        String hostname = fields[2];
        if (fields[0].isEmpty() || fields[1].isEmpty()
                || (dhcpv6Reply && (hostname.indexOf(' ') >= 0 || hostname.equals("deprecated")))) {
            return;
        }
        sink.lease(new DhcpLease(fields[0], Duids.macOf(fields[1]), hostname, clock.getAsLong(), 0));
    }

    /** {@code DHCPRELEASE(iface) IP MAC}; DHCPv6 releases that name no address are only counted. */
    private void parseRelease(byte[] b, int p, int end) {
        String[] fields = dhcpFields(b, p, end);
        if (fields == null) {
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            return;
        }
        counters.dnsmasqLine(DnsmasqLineKind.DHCP_RELEASE);
        if (!fields[0].isEmpty()) {
            sink.release(new DhcpRelease(fields[0], Duids.macOf(fields[1]), clock.getAsLong()));
        }
    }

    /**
     * [address, MAC or DUID, rest] of a DHCP line; the address is empty when the line starts with a client id
     * instead (DHCPv6 lines without address); null when it starts with neither.
     */
    private static String[] dhcpFields(byte[] b, int p, int end) {
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
            return new String[] {"", parts[0], parts.length > 1 ? rest.substring(parts[0].length()).trim() : ""};
        }
        String mac = parts.length > 1 ? parts[1] : "";
        String hostname = parts.length > 2 ? parts[2].trim() : "";
        if (mac.length() > MAX_CLIENT_ID_LENGTH || hostname.length() > MAX_HOSTNAME_LENGTH) {
            return null; // not what dnsmasq writes: a hostname is a DNS label, a client id at most 255 bytes
        }
        return new String[] {parts[0], mac, hostname};
    }

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

    /** Start of the value after the first {@code " is "} in {@code [p, end)}, or -1. */
    private static int valueAfterIs(byte[] b, int p, int end) {
        int is = Bytes.indexOf(b, p, end, " is ");
        return is < 0 || is + 4 >= end ? -1 : is + 4;
    }

    /** For a serial number ({@code -?digits}) at {@code p} followed by a space: the index of that space, else -1. */
    private static int serialEnd(byte[] b, int p, int end) {
        int i = p;
        if (i < end && b[i] == '-') {
            i++;
        }
        int digits = i;
        while (i < end && Bytes.isDigit(b[i])) {
            i++;
        }
        return i > digits && i < end && b[i] == ' ' ? i : -1;
    }

    /** {@code ADDRESS/PORT}, as dnsmasq prints the query source in extra mode. */
    private static boolean isAddressAndPort(byte[] b, int p, int tokenEnd) {
        int slash = Bytes.lastIndexOf(b, p, tokenEnd, (byte) '/');
        if (slash <= p || slash == tokenEnd - 1) {
            return false;
        }
        for (int i = slash + 1; i < tokenEnd; i++) {
            if (!Bytes.isDigit(b[i])) {
                return false;
            }
        }
        for (int i = p; i < slash; i++) {
            byte c = b[i];
            if (!(Bytes.isDigit(c) || c == '.' || c == ':' || c == '%' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                    || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static int tokenEnd(byte[] b, int p, int end) {
        int i = Bytes.indexOf(b, p, end, (byte) ' ');
        return i < 0 ? end : i;
    }

    private static int lastIndexOf(byte[] b, int from, int end, String s) {
        int n = s.length();
        for (int i = end - n; i >= from; i--) {
            if (Bytes.startsWith(b, i, end, s)) {
                return i;
            }
        }
        return -1;
    }
}
