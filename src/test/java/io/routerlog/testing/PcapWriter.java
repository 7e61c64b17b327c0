package io.routerlog.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPOutputStream;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * Writes packet captures for tests: classic pcap (either byte order, micro- or nanosecond magic) and pcapng (either
 * byte order, enhanced or simple packet blocks), with frames built here (Ethernet, Linux cooked v1/v2, raw IP;
 * IPv4/IPv6; UDP/TCP) around DNS messages built with dnsjava.
 */
public final class PcapWriter {
    public enum Format {
        PCAP_BE,
        PCAP_LE,
        PCAP_NS_LE,
        PCAPNG_LE,
        PCAPNG_BE,
        PCAPNG_SIMPLE
    }

    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int SLL = 113;
    public static final int SLL2 = 276;

    private final Format format;
    private final int linkType;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private int packets;

    public PcapWriter(Format format, int linkType) {
        this.format = format;
        this.linkType = linkType;
        this.order =
                format == Format.PCAP_BE || format == Format.PCAPNG_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        switch (format) {
            case PCAP_BE, PCAP_LE, PCAP_NS_LE -> {
                ByteBuffer b = buf(24);
                b.putInt(format == Format.PCAP_NS_LE ? 0xa1b23c4d : 0xa1b2c3d4)
                        .putShort((short) 2)
                        .putShort((short) 4)
                        .putInt(0)
                        .putInt(0)
                        .putInt(262144)
                        .putInt(linkType);
                write(b);
            }
            default -> {
                // section header: no options, unknown section length
                ByteBuffer b = buf(28);
                b.putInt(0x0a0d0d0a)
                        .putInt(28)
                        .putInt(0x1a2b3c4d)
                        .putShort((short) 1)
                        .putShort((short) 0)
                        .putLong(-1)
                        .putInt(28);
                write(b);
                // a custom block before the interface, which readers must skip
                ByteBuffer c = buf(20);
                c.putInt(0x00000bad)
                        .putInt(20)
                        .putInt(0x01020304)
                        .putInt(0x05060708)
                        .putInt(20);
                write(c);
                ByteBuffer i = buf(20);
                i.putInt(1)
                        .putInt(20)
                        .putShort((short) linkType)
                        .putShort((short) 0)
                        .putInt(262144)
                        .putInt(20);
                write(i);
            }
        }
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private void write(ByteBuffer b) {
        out.write(b.array(), b.arrayOffset(), b.position());
    }

    /** Adds one frame of this writer's link type. */
    public PcapWriter frame(byte[] frame) {
        packets++;
        switch (format) {
            case PCAP_BE, PCAP_LE, PCAP_NS_LE -> {
                ByteBuffer b = buf(16 + frame.length);
                b.putInt(1_700_000_000 + packets)
                        .putInt(packets)
                        .putInt(frame.length)
                        .putInt(frame.length)
                        .put(frame);
                write(b);
            }
            case PCAPNG_SIMPLE -> {
                int pad = (4 - frame.length % 4) % 4;
                int total = 16 + frame.length + pad;
                ByteBuffer b = buf(total);
                b.putInt(3)
                        .putInt(total)
                        .putInt(frame.length)
                        .put(frame)
                        .put(new byte[pad])
                        .putInt(total);
                write(b);
            }
            default -> {
                int pad = (4 - frame.length % 4) % 4;
                int total = 32 + frame.length + pad;
                ByteBuffer b = buf(total);
                b.putInt(6)
                        .putInt(total)
                        .putInt(0)
                        .putInt(0)
                        .putInt(packets)
                        .putInt(frame.length)
                        .putInt(frame.length)
                        .put(frame)
                        .put(new byte[pad])
                        .putInt(total);
                write(b);
            }
        }
        return this;
    }

    /** Adds an IP packet wrapped in this writer's link layer. */
    public PcapWriter ip(byte[] ip) {
        return frame(link(linkType, ip));
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** {@code ip} in a link-layer frame of {@code linkType}. */
    public static byte[] link(int linkType, byte[] ip) {
        int ethType = (ip[0] & 0xf0) == 0x60 ? 0x86dd : 0x0800;
        ByteBuffer b;
        switch (linkType) {
            case ETHERNET -> {
                b = ByteBuffer.allocate(14 + ip.length);
                b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) ethType);
            }
            case SLL -> {
                b = ByteBuffer.allocate(16 + ip.length);
                b.putShort((short) 0)
                        .putShort((short) 1)
                        .putShort((short) 6)
                        .put(new byte[8])
                        .putShort((short) ethType);
            }
            case SLL2 -> {
                b = ByteBuffer.allocate(20 + ip.length);
                b.putShort((short) ethType)
                        .putShort((short) 0)
                        .putInt(2)
                        .putShort((short) 1)
                        .put((byte) 0)
                        .put((byte) 6)
                        .put(new byte[8]);
            }
            case RAW -> b = ByteBuffer.allocate(ip.length);
            default -> throw new IllegalArgumentException("link type " + linkType);
        }
        return b.put(ip).array();
    }

    /** An Ethernet frame with an 802.1Q tag. */
    public static byte[] vlanEthernet(byte[] ip) {
        int ethType = (ip[0] & 0xf0) == 0x60 ? 0x86dd : 0x0800;
        ByteBuffer b = ByteBuffer.allocate(18 + ip.length);
        b.put(new byte[12])
                .putShort((short) 0x8100)
                .putShort((short) 42)
                .putShort((short) ethType)
                .put(ip);
        return b.array();
    }

    public static byte[] udp(String src, int sport, String dst, int dport, byte[] payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport)
                .putShort((short) dport)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0)
                .put(payload);
        return ip(src, dst, 17, u.array());
    }

    /** A TCP segment (PSH ACK) carrying {@code payload} as it is (add the length prefixes with {@link #tcpDns}). */
    public static byte[] tcp(String src, int sport, String dst, int dport, byte[] payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) sport)
                .putShort((short) dport)
                .putInt(1000)
                .putInt(2000)
                .put((byte) 0x50)
                .put((byte) 0x18)
                .putShort((short) 65535)
                .putShort((short) 0)
                .putShort((short) 0)
                .put(payload);
        return ip(src, dst, 6, t.array());
    }

    /** DNS messages with their 2-byte length prefixes, back to back, as on a TCP stream. */
    public static byte[] tcpDns(byte[]... messages) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            b.write(m.length >> 8);
            b.write(m.length & 0xff);
            b.write(m, 0, m.length);
        }
        return b.toByteArray();
    }

    public static byte[] ip(String src, String dst, int protocol, byte[] payload) {
        byte[] s = address(src);
        byte[] d = address(dst);
        if (s.length == 4) {
            ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
            b.put((byte) 0x45)
                    .put((byte) 0)
                    .putShort((short) (20 + payload.length))
                    .putShort((short) 1)
                    .putShort((short) 0x4000)
                    .put((byte) 64)
                    .put((byte) protocol)
                    .putShort((short) 0)
                    .put(s)
                    .put(d)
                    .put(payload);
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000)
                .putShort((short) payload.length)
                .put((byte) protocol)
                .put((byte) 64)
                .put(s)
                .put(d)
                .put(payload);
        return b.array();
    }

    /** The address's bytes; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stays 16 bytes of IPv6. */
    private static byte[] address(String text) {
        try {
            byte[] a = InetAddress.getByName(text).getAddress();
            if (a.length == 4 && text.contains(":")) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a, 0, mapped, 12, 4);
                return mapped;
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A query for {@code name} (no trailing dot needed) and {@code type}, with the given id. */
    public static byte[] query(int id, String name, int type) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            m.getHeader().setID(id);
            return m.toWire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response to {@code query} with {@code rcode} and {@code answers} A (or TXT for TXT questions) records. */
    public static byte[] response(byte[] query, int rcode, int answers) {
        try {
            Message q = new Message(query);
            Message r = new Message(q.getHeader().getID());
            r.getHeader().setFlag(Flags.QR);
            r.getHeader().setFlag(Flags.RD);
            r.getHeader().setFlag(Flags.RA);
            r.getHeader().setRcode(rcode);
            Record question = q.getQuestion();
            r.addRecord(question, Section.QUESTION);
            for (int i = 0; i < answers; i++) {
                Record a = question.getType() == org.xbill.DNS.Type.TXT
                        ? new TXTRecord(question.getName(), DClass.IN, 60, "answer data " + i)
                        : new ARecord(question.getName(), DClass.IN, 60, InetAddress.getByAddress(new byte[] {
                            (byte) 192, 0, 2, (byte) (i + 1)
                        }));
                r.addRecord(a, Section.ANSWER);
            }
            return r.toWire();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
