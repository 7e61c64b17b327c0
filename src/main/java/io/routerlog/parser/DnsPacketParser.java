package io.routerlog.parser;

import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import io.routerlog.stats.PacketCounters;
import io.routerlog.text.Bytes;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns DNS messages from packets into the events the query log gives, decoded with dnsjava.
 *
 * <ul>
 *   <li>A query (QR=0, opcode QUERY) from C for name N and type T is the {@link DnsQuery} of dnsmasq's
 *       {@code query[T] N from C}: the source address as text (RFC 5952 for IPv6), the name lower-cased without
 *       the trailing dot, the type's mnemonic or {@code TYPE<n>}; ignored names and DNSTT tunnel domains as in
 *       {@link DnsmasqParser}.</li>
 *   <li>A response (QR=1) is a reply outcome: NXDOMAIN, SERVFAIL, REFUSED, {@code answered} (NOERROR with answer
 *       records), {@code nodata} (NOERROR without), {@code error} for other codes.</li>
 *   <li>DNSTT: a query under a tunnel domain is a {@link TunnelQuery} of its real size (the DNS message, as
 *       dnstt_exporter counts the UDP payload) for its source address; a response under a tunnel domain is a
 *       {@link EventSink#tunnelResponse tunnel response} of its size for its destination address.</li>
 * </ul>
 *
 * Messages that dnsjava cannot decode, or without a question, are counted as malformed; other opcodes (NOTIFY,
 * UPDATE) as not DNS lookups.
 */
public final class DnsPacketParser implements DnsMessageSink {
    private static final int MAX_NAME_LENGTH = 253;

    private final EventSink sink;
    private final PacketCounters counters;
    private final TunnelDomains tunnelDomains;
    private final DomainFilter ignored;
    private final DnsQuery query = new DnsQuery();
    private final TunnelQuery tunnelQuery = new TunnelQuery();
    private final byte[] line = new byte[64 + 1024 + 32];
    private final StringBuilder addr = new StringBuilder(48);

    public DnsPacketParser(EventSink sink, PacketCounters counters, List<String> tunnelDomains, DomainFilter ignored) {
        this.sink = sink;
        this.counters = counters;
        this.tunnelDomains = new TunnelDomains(tunnelDomains);
        this.ignored = ignored;
    }

    @Override
    public void message(byte[] buf, int srcOff, int dstOff, int addrLen, int off, int len) {
        Message m;
        try {
            m = new Message(java.util.Arrays.copyOfRange(buf, off, off + len));
        } catch (java.io.IOException | RuntimeException e) {
            counters.malformed.increment();
            return;
        }
        if (m.getHeader().getOpcode() != Opcode.QUERY) {
            counters.notDns.increment(); // NOTIFY, UPDATE, ...: not a lookup
            return;
        }
        Record question = m.getQuestion();
        if (question == null) {
            counters.malformed.increment();
            return;
        }
        boolean response = m.getHeader().getFlag(Flags.QR);
        // line buffer: address, name, type
        int p = 0;
        int client = p;
        p = ascii(address(buf, response ? dstOff : srcOff, addrLen), p);
        int clientLen = p - client;
        int name = p;
        String n = question.getName().toString(true).toLowerCase(Locale.ROOT);
        if (n.length() > MAX_NAME_LENGTH) {
            counters.malformed.increment();
            return;
        }
        p = ascii(n, p);
        int nameLen = p - name;
        if (response) {
            counters.responses.increment();
            sink.reply(outcome(m));
            if (nameLen > 1) {
                int tunnel = tunnelDomains.indexOf(line, name, nameLen);
                if (tunnel >= 0) {
                    setTunnel(tunnel, client, clientLen, name, nameLen, len);
                    sink.tunnelResponse(tunnelQuery);
                }
            }
            return;
        }
        counters.queries.increment();
        int type = p;
        p = ascii(Type.string(question.getType()), p);
        int typeLen = p - type;
        int tunnel = -1;
        if (nameLen > 1) {
            if (ignored.matches(line, name, nameLen)) {
                return;
            }
            tunnel = tunnelDomains.indexOf(line, name, nameLen);
            if (tunnel >= 0) {
                setTunnel(tunnel, client, clientLen, name, nameLen, len);
                int d = tunnelDomains.length(tunnel);
                name = name + nameLen - d;
                nameLen = d;
            }
        }
        sink.query(query.set(line, client, clientLen, name, nameLen, type, typeLen));
        if (tunnel >= 0) {
            sink.tunnelQuery(tunnelQuery);
        }
    }

    private void setTunnel(int tunnel, int client, int clientLen, int name, int nameLen, int wireBytes) {
        int d = tunnelDomains.length(tunnel);
        int labels = Math.max(0, nameLen - d - 1);
        boolean session = DnsttNames.hasClientId(line, name, labels);
        tunnelQuery.set(tunnel, line, client, clientLen, session,
                session ? DnsttNames.clientId(line, name, labels) : 0, wireBytes);
    }

    static ReplyOutcome outcome(Message m) {
        return switch (m.getRcode()) {
            case Rcode.NOERROR -> m.getSection(Section.ANSWER).isEmpty() ? ReplyOutcome.NODATA : ReplyOutcome.ANSWERED;
            case Rcode.NXDOMAIN -> ReplyOutcome.NXDOMAIN;
            case Rcode.SERVFAIL -> ReplyOutcome.SERVFAIL;
            case Rcode.REFUSED -> ReplyOutcome.REFUSED;
            default -> ReplyOutcome.ERROR;
        };
    }

    private int ascii(CharSequence s, int p) {
        for (int i = 0; i < s.length(); i++) {
            line[p++] = (byte) s.charAt(i);
        }
        return p;
    }

    /** The address as dnsmasq prints it: dotted IPv4, RFC 5952 IPv6 (lower case, longest zero run as ::). */
    private CharSequence address(byte[] b, int off, int len) {
        StringBuilder s = addr;
        s.setLength(0);
        if (len == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    s.append('.');
                }
                s.append(b[off + i] & 0xff);
            }
            return s;
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s;
    }
}
