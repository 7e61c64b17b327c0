package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import io.routerlog.event.EventSink;
import io.routerlog.stats.DnsmasqLineKind;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import java.util.function.LongSupplier;

/**
 * Reads the message part of dnsmasq's log lines and reports what they say to an {@link EventSink}.
 *
 * <p>Every query-log line may start with {@code SERIAL CLIENT/PORT } ({@code log-queries=extra}) or
 * {@code UDP|TCP SERIAL CLIENT/PORT } ({@code log-queries=proto}), and every DHCP line with a transaction id
 * ({@code log-dhcp}); these prefixes are skipped here. What follows goes to the parser of its family: queries and
 * how they were answered to {@link DnsmasqQueryParser}, DHCP to {@link DnsmasqDhcpParser}. Every other line is
 * counted by kind and otherwise ignored; one that still holds {@code query[} is a {@code bad_dnsmasq_line}.
 * The line buffer is rewritten in place (type names), so that no query allocates.
 */
public final class DnsmasqParser {
    private final PipelineCounters counters;
    private final DnsmasqQueryParser queries;
    private final DnsmasqDhcpParser dhcp;

    /**
     * A parser for one reading thread.
     *
     * @param sink  usually the rules stage
     * @param clock stamps DHCP events
     */
    public DnsmasqParser(EventSink sink, PipelineCounters counters, LongSupplier clock) {
        this.counters = counters;
        this.queries = new DnsmasqQueryParser(sink, counters);
        this.dhcp = new DnsmasqDhcpParser(sink, counters, clock);
    }

    /**
     * Sets the router of the lines that follow: {@code b[off, off+len)}, which must stay valid while they are
     * parsed (usually a range of the same line, or a sender's address).
     */
    public void router(byte[] b, int off, int len) {
        queries.router(b, off, len);
        dhcp.router(b, off, len);
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
        int client = 0;
        int clientLen = 0;
        if (serialEnd > 0) {
            int next = serialEnd + 1;
            int tokenEnd = tokenEnd(b, next, end);
            int slash = addressAndPort(b, next, tokenEnd);
            if (slash > 0) {
                client = next;
                clientLen = slash - next;
                p = tokenEnd < end ? tokenEnd + 1 : tokenEnd;
            } else if (b[p] != '-') {
                p = next;
                transactionId = true;
            }
        }
        if (queries.parse(b, p, end, client, clientLen) || dhcp.parse(b, p, end, transactionId)) {
            return;
        }
        if (Bytes.indexOf(b, p, end, "query[") >= 0) {
            // a query in a layout dnsmasq does not write (a relay changed it?): visible, not lost among "other"
            counters.dropped(DropReason.BAD_DNSMASQ_LINE);
        } else {
            counters.dnsmasqLine(DnsmasqLineKind.OTHER);
        }
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

    /** The bytes an address (or a host name with a zone) may hold before the {@code /PORT}. */
    private static final boolean[] ADDRESS_BYTES = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            ADDRESS_BYTES[c] = (c >= '0' && c <= '9')
                    || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                    || c == '.'
                    || c == ':'
                    || c == '%'
                    || c == '-'
                    || c == '_';
        }
    }

    /**
     * For {@code ADDRESS/PORT} in {@code [p, tokenEnd)}, as dnsmasq prints the query source in extra mode: the index
     * of the slash, else -1.
     */
    private static int addressAndPort(byte[] b, int p, int tokenEnd) {
        int slash = Bytes.lastIndexOf(b, p, tokenEnd, (byte) '/');
        if (slash <= p || slash == tokenEnd - 1) {
            return -1;
        }
        for (int i = slash + 1; i < tokenEnd; i++) {
            if (!Bytes.isDigit(b[i])) {
                return -1;
            }
        }
        for (int i = p; i < slash; i++) {
            if (!ADDRESS_BYTES[b[i] & 0xff]) {
                return -1;
            }
        }
        return slash;
    }

    private static int tokenEnd(byte[] b, int p, int end) {
        int i = Bytes.indexOf(b, p, end, (byte) ' ');
        return i < 0 ? end : i;
    }
}
