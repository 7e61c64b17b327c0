package io.routerlog.parser;

import io.routerlog.bytes.IpText;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.PacketCounters;
import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
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
 *       {@code query[T] N from C}: the source address, the name's labels joined by dots as they came (the rules
 *       stage gives them their stored form), the type's mnemonic or {@code TYPE<n>}, and the message's size.</li>
 *   <li>A response (QR=1) is a reply outcome: NXDOMAIN, SERVFAIL, REFUSED, {@code answered} (NOERROR with answer
 *       records), {@code nodata} (NOERROR without), {@code error} for other codes; and a {@link EventSink#response}
 *       with its destination address, name and size (what DNSTT's bytes out are counted from).</li>
 *   <li>A question name longer than the 255 bytes DNS allows, which dnsjava refuses but resolvers such as dnsmasq
 *       accept and answer (tunnels and exfiltration use them), is read from the message by hand.</li>
 * </ul>
 *
 * Messages that cannot be decoded, or without a question, are counted as malformed; other opcodes (NOTIFY,
 * UPDATE) as not DNS lookups.
 */
public final class DnsPacketParser implements DnsMessageSink {
    /** Longest question name read, in wire bytes: the size of a name dnsmasq still accepts. */
    private static final int MAX_WIRE_NAME = 1025;
    /** Longest name DNS allows, in wire bytes (RFC 1035). */
    private static final int DNS_MAX_WIRE_NAME = 255;

    private static final int HEADER = 12;

    private final EventSink sink;
    private final PacketCounters counters;
    private final DnsQuery query = new DnsQuery();
    /** address text, name, type */
    private final byte[] line = new byte[IpText.MAX_TEXT + MAX_WIRE_NAME + 32];

    private final byte[] address = new byte[16];
    /** The resolver's address: the router of the message */
    private final byte[] resolver = new byte[IpText.MAX_TEXT];

    private final byte[] resolverAddress = new byte[16];

    // the message being read
    private int opcode;
    private boolean response;
    private int rcode;
    private boolean answers;
    private int nameOff;
    private int nameLen;
    private int type;

    public DnsPacketParser(EventSink sink, PacketCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    @Override
    public void message(byte[] buf, int srcOff, int dstOff, int addrLen, int off, int len) {
        boolean isResponse = response(buf, off, len);
        System.arraycopy(buf, isResponse ? dstOff : srcOff, address, 0, addrLen);
        int clientLen = IpText.format(address, addrLen, line, 0);
        System.arraycopy(buf, isResponse ? srcOff : dstOff, resolverAddress, 0, addrLen);
        query.router(resolver, 0, IpText.format(resolverAddress, addrLen, resolver, 0));
        nameOff = clientLen;
        if (!decode(buf, off, len) && !decodeOverlongQuestion(buf, off, len)) {
            counters.malformed.increment();
            return;
        }
        if (opcode != Opcode.QUERY) {
            counters.notDns.increment(); // NOTIFY, UPDATE, ...: not a lookup
            return;
        }
        if (response) {
            counters.responses.increment();
            query.set(line, 0, clientLen, nameOff, nameLen, 0, 0, len, false);
            sink.reply(outcome(), query);
            sink.response(query);
            return;
        }
        counters.queries.increment();
        int typeOff = nameOff + nameLen;
        String t = Type.string(type);
        for (int i = 0; i < t.length(); i++) {
            line[typeOff + i] = (byte) t.charAt(i);
        }
        sink.query(query.set(line, 0, clientLen, nameOff, nameLen, typeOff, t.length(), len, false));
    }

    private static boolean response(byte[] b, int off, int len) {
        return len > 2 && (b[off + 2] & 0x80) != 0;
    }

    /** Decodes the message with dnsjava; false when it refuses it or it has no question. */
    private boolean decode(byte[] buf, int off, int len) {
        Message m;
        try {
            m = new Message(Arrays.copyOfRange(buf, off, off + len));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        Record question = m.getQuestion();
        opcode = m.getHeader().getOpcode();
        if (question == null) {
            return opcode != Opcode.QUERY; // another opcode is counted as such; a lookup needs a question
        }
        response = m.getHeader().getFlag(Flags.QR);
        rcode = m.getRcode();
        answers = !m.getSection(Section.ANSWER).isEmpty();
        type = question.getType();
        Name name = question.getName();
        int p = nameOff;
        for (int i = 0, n = name.labels(); i < n; i++) {
            byte[] label = name.getLabel(i); // length byte, then the label's bytes
            if (label.length <= 1) {
                break; // the root
            }
            if (p > nameOff) {
                line[p++] = '.';
            }
            System.arraycopy(label, 1, line, p, label.length - 1);
            p += label.length - 1;
        }
        nameLen = p - nameOff;
        return true;
    }

    /**
     * Reads the header and the question of a message whose question name is longer than DNS allows: true when that
     * is why dnsjava refused it and the rest of the question is whole.
     */
    private boolean decodeOverlongQuestion(byte[] b, int off, int len) {
        int end = off + len;
        if (len < HEADER || u16(b, off + 4) != 1) {
            return false;
        }
        int flags = u16(b, off + 2);
        int p = off + HEADER;
        int q = nameOff;
        int wire = 1;
        while (true) {
            if (p >= end) {
                return false;
            }
            int l = b[p++] & 0xff;
            if (l == 0) {
                break;
            }
            wire += l + 1;
            if (l > 63 || p + l > end || wire > MAX_WIRE_NAME) {
                return false; // compression, extended labels, a cut or an absurd name
            }
            if (q > nameOff) {
                line[q++] = '.';
            }
            System.arraycopy(b, p, line, q, l);
            q += l;
            p += l;
        }
        if (wire <= DNS_MAX_WIRE_NAME || p + 4 > end) {
            return false;
        }
        response = (flags & 0x8000) != 0;
        opcode = (flags >>> 11) & 0xf;
        rcode = flags & 0xf;
        answers = u16(b, off + 6) > 0;
        type = u16(b, p);
        nameLen = q - nameOff;
        return true;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private ReplyOutcome outcome() {
        return switch (rcode) {
            case Rcode.NOERROR -> answers ? ReplyOutcome.ANSWERED : ReplyOutcome.NODATA;
            case Rcode.NXDOMAIN -> ReplyOutcome.NXDOMAIN;
            case Rcode.SERVFAIL -> ReplyOutcome.SERVFAIL;
            case Rcode.REFUSED -> ReplyOutcome.REFUSED;
            default -> ReplyOutcome.ERROR;
        };
    }
}
