package io.routerlog.source;

import io.routerlog.parser.DnsMessageSink;
import io.routerlog.stats.PacketCounters;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads packet captures and hands the DNS messages in them to a {@link DnsMessageSink}.
 *
 * <ul>
 *   <li>Formats: classic pcap (either byte order, microsecond or nanosecond magic) and pcapng (section header,
 *       interface description, enhanced, simple and obsolete packet blocks; other blocks are skipped); gzip
 *       compression is recognised by its magic.</li>
 *   <li>Link types: Ethernet (with VLAN tags), Linux cooked capture v1 and v2, raw IP, BSD loopback.</li>
 *   <li>IPv4 and IPv6 (extension headers skipped); only the first fragment of a fragmented datagram is looked at
 *       (and usually fails to decode, counted as malformed).</li>
 *   <li>UDP and TCP from or to the DNS port. TCP segments are not reassembled: a segment whose payload holds one
 *       or more complete length-prefixed messages is read; a message split over segments is counted as
 *       incomplete and skipped. Queries and short answers fit in one segment in practice.</li>
 * </ul>
 *
 * A packet that is cut short or malformed is counted and skipped; a file that ends in the middle of a record, or
 * whose record header is impossible, ends that file (counted). Nothing in the input throws anything but the
 * {@link IOException}s of the underlying stream.
 */
public final class PcapReader {
    /** Larger records are taken as corruption: no capture of DNS has 16 MiB frames. */
    static final int MAX_RECORD = 16 << 20;

    private static final int PCAP_US = 0xa1b2c3d4;
    private static final int PCAP_NS = 0xa1b23c4d;
    private static final int PCAPNG_SHB = 0x0a0d0d0a;
    private static final int PCAPNG_BOM = 0x1a2b3c4d;

    static final int LINK_NULL = 0;
    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW = 101;
    static final int LINK_RAW_OPENBSD = 12;
    static final int LINK_SLL = 113;
    static final int LINK_IPV4 = 228;
    static final int LINK_IPV6 = 229;
    static final int LINK_SLL2 = 276;

    private final DnsMessageSink sink;
    private final PacketCounters counters;
    private final int port;
    private Runnable afterMessage = () -> { };
    private byte[] buf = new byte[65536 + 64];
    /** Addresses of the current packet: source at 0, destination at 16. */
    private final byte[] addrs = new byte[32];
    /** The ports of UDP and TCP packets that were not on the DNS port. */
    private final PortTally otherPorts = new PortTally();

    public PcapReader(DnsMessageSink sink, PacketCounters counters, int port) {
        this.sink = sink;
        this.counters = counters;
        this.port = port;
    }

    /**
     * The ports of the UDP and TCP packets read so far that were not on the DNS port: when a capture has packets but
     * no DNS, the port it was taken on is usually the one seen most.
     */
    public PortTally otherPorts() {
        return otherPorts;
    }

    /**
     * Runs {@code action} after each DNS message handed on (on the reading thread): a place to wait while the
     * events' receiver is full.
     */
    public PcapReader afterMessage(Runnable action) {
        this.afterMessage = action;
        return this;
    }

    /** What {@link #read} made of its input. */
    public enum Result {
        /** Read to its end. */
        READ,
        /** Read up to a cut or damage (counted in {@link PacketCounters#truncatedFiles}). */
        TRUNCATED,
        /** No bytes at all. */
        EMPTY,
        /** Neither pcap nor pcapng (nor either of them gzip-compressed): nothing read. */
        NOT_A_CAPTURE
    }

    /**
     * Reads a whole capture from {@code in} (not closed). Returns at its end, or at the first sign that the rest
     * cannot be read as records (counted in {@link PacketCounters#truncatedFiles}).
     */
    public Result read(InputStream in) throws IOException {
        InputStream counted = new Counting(in, counters);
        BufferedInputStream b = new BufferedInputStream(counted, 65536);
        b.mark(4);
        int m0 = b.read();
        int m1 = b.read();
        b.reset();
        if (m0 < 0) {
            return Result.EMPTY;
        }
        InputStream data = b;
        if (m0 == 0x1f && m1 == 0x8b) {
            try {
                data = new BufferedInputStream(new GZIPInputStream(b, 65536), 65536);
            } catch (IOException e) {
                counters.truncatedFiles.increment();
                return Result.TRUNCATED;
            }
        }
        try {
            return readCapture(new Input(data)) ? Result.READ : Result.NOT_A_CAPTURE;
        } catch (EOFException | java.util.zip.ZipException | CorruptCapture e) {
            counters.truncatedFiles.increment();
            return Result.TRUNCATED;
        }
    }

    /** False when the input does not start like a pcap or pcapng file. */
    private boolean readCapture(Input in) throws IOException {
        int magic = in.int32(true);
        switch (magic) {
            case PCAP_US, PCAP_NS -> readPcap(in, true);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> readPcap(in, false);
            case PCAPNG_SHB -> readPcapng(in);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void readPcap(Input in, boolean bigEndian) throws IOException {
        in.skip(2 + 2 + 4 + 4 + 4); // version, thiszone, sigfigs, snaplen
        int linkType = in.int32(bigEndian) & 0x0fff_ffff; // upper bits: FCS length
        while (true) {
            int first = in.in.read();
            if (first < 0) {
                return;
            }
            in.unread(first);
            in.skip(8); // timestamp
            int caplen = in.int32(bigEndian);
            in.int32(bigEndian); // original length
            if (caplen < 0 || caplen > MAX_RECORD) {
                throw corrupt("record of " + caplen + " bytes");
            }
            packet(in, linkType, caplen);
        }
    }

    private void readPcapng(Input in) throws IOException {
        List<Integer> linkTypes = new ArrayList<>();
        boolean bigEndian = true;
        boolean firstBlock = true;
        while (true) {
            int type;
            if (firstBlock) {
                type = PCAPNG_SHB;
                firstBlock = false;
            } else {
                int first = in.in.read();
                if (first < 0) {
                    return;
                }
                in.unread(first);
                type = in.int32(bigEndian);
            }
            if (type == PCAPNG_SHB) {
                byte[] raw = in.bytes(4);
                int bom = in.int32(true);
                if (bom == PCAPNG_BOM) {
                    bigEndian = true;
                } else if (bom == Integer.reverseBytes(PCAPNG_BOM)) {
                    bigEndian = false;
                } else {
                    throw corrupt("pcapng byte-order magic");
                }
                int total = int32(raw, bigEndian);
                checkBlockLength(total, 28);
                in.skip(total - 12);
                linkTypes.clear();
                continue;
            }
            int total = in.int32(bigEndian);
            checkBlockLength(total, 12);
            int body = total - 12;
            switch (type) {
                case 1 -> { // interface description
                    if (body < 8) {
                        throw corrupt("interface block");
                    }
                    linkTypes.add(in.int16(bigEndian));
                    in.skip(body - 2);
                }
                case 6 -> { // enhanced packet
                    if (body < 20) {
                        throw corrupt("packet block");
                    }
                    int iface = in.int32(bigEndian);
                    in.skip(8);
                    capturedPacket(in, bigEndian, linkType(linkTypes, iface), body);
                }
                case 3 -> { // simple packet: interface 0
                    if (body < 4) {
                        throw corrupt("simple packet block");
                    }
                    int origLen = in.int32(bigEndian);
                    int caplen = Math.min(body - 4, Math.max(0, origLen));
                    packet(in, linkType(linkTypes, 0), caplen);
                    in.skip(body - 4 - caplen);
                }
                case 2 -> { // obsolete packet block
                    if (body < 20) {
                        throw corrupt("packet block");
                    }
                    int iface = in.int16(bigEndian);
                    in.skip(2 + 8);
                    capturedPacket(in, bigEndian, linkType(linkTypes, iface), body);
                }
                default -> in.skip(body);
            }
            in.skip(4); // trailing total length
        }
    }

    /**
     * The rest of an enhanced or obsolete packet block, whose 20-byte header is read up to its captured and
     * original lengths: the packet, then the block's padding and options.
     */
    private void capturedPacket(Input in, boolean bigEndian, int linkType, int body) throws IOException {
        int caplen = in.int32(bigEndian);
        in.int32(bigEndian); // original length
        if (caplen < 0 || caplen > body - 20) {
            throw corrupt("packet block length");
        }
        packet(in, linkType, caplen);
        in.skip(body - 20 - caplen);
    }

    private static void checkBlockLength(int total, int min) throws IOException {
        if (total < min || total > MAX_RECORD || (total & 3) != 0) {
            throw corrupt("block of " + total + " bytes");
        }
    }

    private static int linkType(List<Integer> linkTypes, int iface) {
        return iface >= 0 && iface < linkTypes.size() ? linkTypes.get(iface) : -1;
    }

    /** Reads one captured frame of {@code len} bytes and decodes it. */
    private void packet(Input in, int linkType, int len) throws IOException {
        if (len > buf.length) {
            buf = new byte[len];
        }
        in.readFully(buf, 0, len);
        counters.packets.increment();
        frame(buf, len, linkType);
    }

    /** Decodes one link-layer frame {@code b[0, len)}. */
    void frame(byte[] b, int len, int linkType) {
        switch (linkType) {
            case LINK_ETHERNET -> {
                int p = 12;
                while (true) {
                    if (p + 2 > len) {
                        counters.malformed.increment();
                        return;
                    }
                    int ethType = u16(b, p);
                    if (ethType == 0x8100 || ethType == 0x88a8 || ethType == 0x9100) {
                        p += 4;
                        continue;
                    }
                    network(b, p + 2, len, ethType);
                    return;
                }
            }
            case LINK_SLL -> {
                if (len < 16) {
                    counters.malformed.increment();
                    return;
                }
                network(b, 16, len, u16(b, 14));
            }
            case LINK_SLL2 -> {
                if (len < 20) {
                    counters.malformed.increment();
                    return;
                }
                network(b, 20, len, u16(b, 0));
            }
            case LINK_RAW, LINK_RAW_OPENBSD, LINK_IPV4, LINK_IPV6 -> {
                if (len < 1) {
                    counters.malformed.increment();
                    return;
                }
                int version = (b[0] & 0xf0) >> 4;
                network(b, 0, len, version == 4 ? 0x0800 : version == 6 ? 0x86dd : 0);
            }
            case LINK_NULL -> {
                if (len < 4) {
                    counters.malformed.increment();
                    return;
                }
                int family = (b[0] & 0xff) | (b[3] & 0xff); // host byte order: 2 or 24/28/30 in one of the ends
                network(b, 4, len, family == 2 ? 0x0800 : family == 24 || family == 28 || family == 30 ? 0x86dd : 0);
            }
            default -> counters.notDns.increment();
        }
    }

    private void network(byte[] b, int p, int len, int ethType) {
        if (ethType == 0x0800) {
            ipv4(b, p, len);
        } else if (ethType == 0x86dd) {
            ipv6(b, p, len);
        } else {
            counters.notDns.increment();
        }
    }

    private void ipv4(byte[] b, int p, int len) {
        if (p + 20 > len || (b[p] & 0xf0) != 0x40) {
            counters.malformed.increment();
            return;
        }
        int ihl = (b[p] & 0x0f) * 4;
        int total = u16(b, p + 2);
        if (ihl < 20 || total < ihl || p + ihl > len) {
            counters.malformed.increment();
            return;
        }
        int end = Math.min(len, p + total);
        if ((u16(b, p + 6) & 0x1fff) != 0) {
            counters.notDns.increment(); // a later fragment: no transport header
            return;
        }
        System.arraycopy(b, p + 12, addrs, 0, 4);
        System.arraycopy(b, p + 16, addrs, 16, 4);
        transport(b, p + ihl, end, b[p + 9] & 0xff, 4);
    }

    private void ipv6(byte[] b, int p, int len) {
        if (p + 40 > len || (b[p] & 0xf0) != 0x60) {
            counters.malformed.increment();
            return;
        }
        int end = Math.min(len, p + 40 + u16(b, p + 4));
        System.arraycopy(b, p + 8, addrs, 0, 16);
        System.arraycopy(b, p + 24, addrs, 16, 16);
        int next = b[p + 6] & 0xff;
        int q = p + 40;
        for (int hops = 0; hops < 8; hops++) {
            if (next == 0 || next == 43 || next == 60) { // hop-by-hop, routing, destination options
                if (q + 2 > end) {
                    counters.malformed.increment();
                    return;
                }
                next = b[q] & 0xff;
                q += 8 + (b[q + 1] & 0xff) * 8;
            } else if (next == 44) { // fragment
                if (q + 8 > end) {
                    counters.malformed.increment();
                    return;
                }
                if ((u16(b, q + 2) & 0xfff8) != 0) {
                    counters.notDns.increment();
                    return;
                }
                next = b[q] & 0xff;
                q += 8;
            } else {
                break;
            }
        }
        if (q > end) {
            counters.malformed.increment();
            return;
        }
        transport(b, q, end, next, 16);
    }

    private void transport(byte[] b, int p, int end, int protocol, int addrLen) {
        if (protocol == 17) {
            if (p + 8 > end) {
                counters.malformed.increment();
                return;
            }
            if (u16(b, p) != port && u16(b, p + 2) != port) {
                counters.notDns.increment();
                otherPorts.add(u16(b, p), u16(b, p + 2));
                return;
            }
            int udpLen = u16(b, p + 4);
            int stop = udpLen >= 8 ? Math.min(end, p + udpLen) : end; // 0: jumbogram; trust the IP length
            message(b, p + 8, stop - p - 8, addrLen);
        } else if (protocol == 6) {
            if (p + 20 > end) {
                counters.malformed.increment();
                return;
            }
            if (u16(b, p) != port && u16(b, p + 2) != port) {
                counters.notDns.increment();
                otherPorts.add(u16(b, p), u16(b, p + 2));
                return;
            }
            int dataOff = ((b[p + 12] & 0xf0) >> 4) * 4;
            if (dataOff < 20 || p + dataOff > end) {
                counters.malformed.increment();
                return;
            }
            int q = p + dataOff;
            if (q == end) {
                return; // handshake, ACK, FIN: no data
            }
            while (q < end) {
                if (q + 2 > end) {
                    counters.tcpIncomplete.increment();
                    return;
                }
                int n = u16(b, q);
                if (q + 2 + n > end) {
                    counters.tcpIncomplete.increment();
                    return;
                }
                message(b, q + 2, n, addrLen);
                q += 2 + n;
            }
        } else {
            counters.notDns.increment();
        }
    }

    private void message(byte[] b, int off, int len, int addrLen) {
        if (len < 12) {
            counters.malformed.increment();
            return;
        }
        counters.dnsMessages.increment();
        // the message is copied behind the addresses so the sink sees one buffer
        byte[] m = messageBuf(32 + len);
        System.arraycopy(addrs, 0, m, 0, 32);
        System.arraycopy(b, off, m, 32, len);
        sink.message(m, 0, 16, addrLen, 32, len);
        afterMessage.run();
    }

    private byte[] messageBuffer = new byte[32 + 4096];

    private byte[] messageBuf(int n) {
        if (n > messageBuffer.length) {
            messageBuffer = new byte[n];
        }
        return messageBuffer;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int int32(byte[] raw, boolean bigEndian) {
        int v = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        return bigEndian ? v : Integer.reverseBytes(v);
    }

    private static IOException corrupt(String what) {
        return new CorruptCapture(what);
    }

    private static final class CorruptCapture extends IOException {
        CorruptCapture(String what) {
            super("Corrupt capture: " + what, null);
        }
    }

    /** Byte-order aware reads with one byte of push-back. */
    private static final class Input {
        final InputStream in;
        private int pushed = -1;
        private final byte[] scratch = new byte[8];

        Input(InputStream in) {
            this.in = new FilterInputStream(in) {
            };
        }

        void unread(int b) {
            pushed = b;
        }

        private int readByte() throws IOException {
            if (pushed >= 0) {
                int b = pushed;
                pushed = -1;
                return b;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            return b;
        }

        void readFully(byte[] b, int off, int len) throws IOException {
            if (len > 0 && pushed >= 0) {
                b[off++] = (byte) pushed;
                pushed = -1;
                len--;
            }
            while (len > 0) {
                int n = in.read(b, off, len);
                if (n < 0) {
                    throw new EOFException();
                }
                off += n;
                len -= n;
            }
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            readFully(b, 0, n);
            return b;
        }

        int int32(boolean bigEndian) throws IOException {
            readFully(scratch, 0, 4);
            return PcapReader.int32(scratch, bigEndian);
        }

        int int16(boolean bigEndian) throws IOException {
            readFully(scratch, 0, 2);
            int v = ((scratch[0] & 0xff) << 8) | (scratch[1] & 0xff);
            return bigEndian ? v : Integer.reverseBytes(v) >>> 16;
        }

        void skip(long n) throws IOException {
            if (n > 0 && pushed >= 0) {
                pushed = -1;
                n--;
            }
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (readByte() < 0) {
                        throw new EOFException();
                    }
                    s = 1;
                }
                n -= s;
            }
        }
    }

    /** Counts the bytes read from the capture as they are read. */
    private static final class Counting extends FilterInputStream {
        private final PacketCounters counters;

        Counting(InputStream in, PacketCounters counters) {
            super(in);
            this.counters = counters;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counters.bytes.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counters.bytes.add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            if (s > 0) {
                counters.bytes.add(s);
            }
            return s;
        }
    }
}
