package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.IpText;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import org.jspecify.annotations.Nullable;

/**
 * dnsmasq's DNS lines, once {@link DnsmasqParser} has skipped their prefixes: queries, and the lines that tell how
 * a query was answered.
 * <ul>
 *   <li>{@code query[TYPE] NAME from CLIENT}: one query of (client, name, type), as logged; {@code type=N} becomes
 *       {@code TYPEN}. The client must be an address (IPv4, or IPv6 with an optional {@code %zone}), else the line is
 *       a {@code bad_dnsmasq_line}. The rules stage puts client and name in their stored form;</li>
 *   <li>{@code forwarded}, {@code reply}, {@code cached}, {@code cached-stale}, {@code config}, hosts-file and
 *       {@code DHCP} name lines: a {@link ReplyOutcome} about the name the line names, and about the client when
 *       the line says ({@code log-queries=extra} starts each line with it);</li>
 *   <li>{@code non-query opcode} and DNSSEC lines: counted by kind ({@code validation ... is BOGUS} is an
 *       outcome too).</li>
 * </ul>
 * Most lines dnsmasq writes are these, so this is the hot path: a query fills the one reused {@link DnsQuery} over
 * the line buffer (rewriting the type name in place) and an answer is an enum constant; nothing allocates.
 */
final class DnsmasqQueryParser {
    /** Longer than any type mnemonic or {@code TYPE65535}. */
    static final int MAX_QTYPE_LENGTH = 32;

    private final EventSink sink;
    private final PipelineCounters counters;
    private final DnsQuery query = new DnsQuery();
    /** What an outcome line is about: router, client (when the line says), name; no type. */
    private final DnsQuery about = new DnsQuery();
    // the line being read
    private byte[] line = new byte[0];
    private int lineEnd;
    private int client;
    private int clientLen;

    DnsmasqQueryParser(EventSink sink, PipelineCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    /** The router of the lines that follow: {@code b[off, off+len)}, valid while they are parsed. */
    void router(byte[] b, int off, int len) {
        query.router(b, off, len);
        about.router(b, off, len);
    }

    /**
     * Reports or counts {@code b[p, end)} when it is one of dnsmasq's DNS lines.
     *
     * @return false when it is not, and nothing was counted
     */
    boolean parse(byte[] b, int p, int end) {
        return parse(b, p, end, 0, 0);
    }

    /**
     * Reports or counts {@code b[p, end)} when it is one of dnsmasq's DNS lines.
     *
     * @param client    where the client's address is in a {@code log-queries=extra} prefix
     * @param clientLen its length, 0 when the line had no such prefix
     * @return false when it is not, and nothing was counted
     */
    boolean parse(byte[] b, int p, int end, int client, int clientLen) {
        this.line = b;
        this.lineEnd = end;
        this.client = client;
        this.clientLen = clientLen;
        if (Bytes.startsWith(b, p, end, "query[")) {
            query(b, p + 6, end);
        } else if (Bytes.startsWith(b, p, end, "forwarded ")) {
            outcome(DnsmasqLineKind.FORWARDED, ReplyOutcome.FORWARDED, p);
        } else if (Bytes.startsWith(b, p, end, "reply ")) {
            ReplyOutcome outcome = replyOutcome(b, p + 6, end);
            if (outcome == null) {
                counters.dropped(DropReason.BAD_DNSMASQ_LINE);
            } else {
                outcome(DnsmasqLineKind.REPLY, outcome, p);
            }
        } else if (Bytes.startsWith(b, p, end, "cached-stale ")) {
            outcome(DnsmasqLineKind.CACHED, ReplyOutcome.CACHED_STALE, p);
        } else if (Bytes.startsWith(b, p, end, "cached ")) {
            outcome(DnsmasqLineKind.CACHED, ReplyOutcome.CACHED, p);
        } else if (Bytes.startsWith(b, p, end, "config ")) {
            int value = valueAfterIs(b, p + 7, end);
            outcome(
                    DnsmasqLineKind.CONFIG,
                    value >= 0 && isBlockAnswer(b, value, end) ? ReplyOutcome.BLOCKED : ReplyOutcome.LOCAL,
                    p);
        } else if (p < end && b[p] == '/' && valueAfterIs(b, p, end) >= 0) {
            outcome(DnsmasqLineKind.HOSTS, ReplyOutcome.LOCAL, p);
        } else if (Bytes.startsWith(b, p, end, "DHCP ")) {
            outcome(DnsmasqLineKind.DHCP_NAME, ReplyOutcome.LOCAL, p);
        } else if (Bytes.startsWith(b, p, end, "non-query opcode")) {
            counters.dnsmasqLine(DnsmasqLineKind.NON_QUERY);
        } else if (Bytes.startsWith(b, p, end, "validation ")) {
            int value = valueAfterIs(b, p, end);
            if (value >= 0 && Bytes.startsWith(b, value, end, "BOGUS")) {
                outcome(DnsmasqLineKind.DNSSEC, ReplyOutcome.BOGUS, p);
            } else {
                counters.dnsmasqLine(DnsmasqLineKind.DNSSEC);
            }
        } else if (Bytes.startsWith(b, p, end, "dnssec-") || Bytes.startsWith(b, p, end, "secure no DS")) {
            counters.dnsmasqLine(DnsmasqLineKind.DNSSEC);
        } else {
            return false;
        }
        return true;
    }

    /** An outcome line starting at {@code p}: {@code WORD NAME is|to ...}, the name its second word. */
    private void outcome(DnsmasqLineKind kind, ReplyOutcome outcome, int p) {
        counters.dnsmasqLine(kind);
        int name = Bytes.indexOf(line, p, lineEnd, (byte) ' ') + 1;
        int nameEnd = name > 0 ? Bytes.indexOf(line, name, lineEnd, (byte) ' ') : -1;
        if (nameEnd < 0) {
            name = nameEnd = p;
        }
        sink.reply(outcome, about.set(line, client, clientLen, name, nameEnd - name, name, 0));
    }

    /** {@code p} is just after {@code query[}. */
    private void query(byte[] b, int p, int end) {
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
        if (typeLen > MAX_QTYPE_LENGTH
                || end - client > IpText.MAX_TEXT
                || !IpText.isAddress(b, client, end - client)) {
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

    /** What a {@code reply} line says, {@code p} just after {@code reply }; null when it is not dnsmasq's layout. */
    static @Nullable ReplyOutcome replyOutcome(byte[] b, int p, int end) {
        if (Bytes.equalsAscii(b, p, end - p, "is truncated")) {
            return ReplyOutcome.TRUNCATED;
        }
        if (Bytes.equalsAscii(b, p, end - p, "query is duplicate")) {
            return ReplyOutcome.DUPLICATE;
        }
        int value = valueAfterIs(b, p, end);
        if (value < 0) {
            return null;
        }
        int n = end - value;
        if (Bytes.equalsAscii(b, value, n, "NXDOMAIN")) {
            return ReplyOutcome.NXDOMAIN;
        } else if (Bytes.startsWith(b, value, end, "NODATA")) {
            return ReplyOutcome.NODATA;
        } else if (Bytes.equalsAscii(b, value, n, "SERVFAIL")) {
            return ReplyOutcome.SERVFAIL;
        } else if (Bytes.equalsAscii(b, value, n, "REFUSED")) {
            return ReplyOutcome.REFUSED;
        } else if (Bytes.equalsAscii(b, value, n, "not implemented") || Bytes.parseSmallInt(b, value, n) >= 0) {
            return ReplyOutcome.ERROR;
        }
        return ReplyOutcome.ANSWERED;
    }

    private static boolean isBlockAnswer(byte[] b, int value, int end) {
        int n = end - value;
        return Bytes.equalsAscii(b, value, n, "0.0.0.0")
                || Bytes.equalsAscii(b, value, n, "::")
                || Bytes.equalsAscii(b, value, n, "NXDOMAIN")
                || Bytes.startsWith(b, value, end, "NODATA");
    }

    /** Start of the value after the first {@code " is "} in {@code [p, end)}, or -1. */
    private static int valueAfterIs(byte[] b, int p, int end) {
        int is = Bytes.indexOf(b, p, end, " is ");
        return is < 0 || is + 4 >= end ? -1 : is + 4;
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
