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
import java.util.zip.ZipException;

/**
 * Reads packet captures, files and tcpdump's output alike, and gives each captured frame with its link type to a
 * {@link PacketDecoder}, which finds the DNS in it.
 *
 * <p>Formats: classic pcap (either byte order, microsecond or nanosecond magic) and pcapng (section header,
 * interface description, enhanced, simple and obsolete packet blocks; other blocks are skipped); gzip compression
 * is recognised by its magic. Timestamps are skipped: what is counted does not depend on when it was captured.
 *
 * <p>A file that ends in the middle of a record, or whose record header is impossible, ends that file (counted).
 * Nothing in the input throws anything but the {@link IOException}s of the underlying stream.
 */
public final class PcapReader {
    /** Larger records are taken as corruption: no capture of DNS has 16 MiB frames. */
    static final int MAX_RECORD = 16 << 20;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER_SIZE = 65536;

    /** The classic pcap magic as read big-endian: written by a big-endian host, or swapped by a little-endian one. */
    private static final int PCAP_MICROS = 0xa1b2c3d4;

    private static final int PCAP_NANOS = 0xa1b23c4d;
    private static final int PCAP_MICROS_SWAPPED = 0xd4c3b2a1;
    private static final int PCAP_NANOS_SWAPPED = 0x4d3cb2a1;
    /** Version, time zone, timestamp accuracy and snapshot length, between the magic and the link type. */
    private static final int PCAP_HEADER_BEFORE_LINK_TYPE = 2 + 2 + 4 + 4 + 4;
    /** The link type's upper bits may hold the FCS length. */
    private static final int PCAP_LINK_TYPE_MASK = 0x0fff_ffff;
    /** Seconds and fraction, in front of the captured and original lengths of a pcap record. */
    private static final int TIMESTAMP_LENGTH = 8;

    /** The section header block's type reads the same in either byte order, so it also serves as the magic. */
    private static final int PCAPNG_SECTION_HEADER = 0x0a0d0d0a;

    private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    private static final int PCAPNG_INTERFACE_DESCRIPTION = 1;
    private static final int PCAPNG_OBSOLETE_PACKET = 2;
    private static final int PCAPNG_SIMPLE_PACKET = 3;
    private static final int PCAPNG_ENHANCED_PACKET = 6;
    /** Block type, total length and the total length repeated at the end: what every block has besides its body. */
    private static final int PCAPNG_BLOCK_FRAME = 12;
    /** The block's total length, repeated after its body so that a file can be read backwards. */
    private static final int PCAPNG_TRAILING_LENGTH = 4;
    /** Block frame, byte-order magic, version and section length. */
    private static final int PCAPNG_SECTION_HEADER_MIN = 28;
    /** Link type, reserved, snapshot length. */
    private static final int PCAPNG_INTERFACE_BODY_MIN = 8;

    private static final int PCAPNG_LINK_TYPE_LENGTH = 2;
    /**
     * Interface (4 bytes, or 2 and a drop count of 2 in the obsolete block), timestamp, captured and original
     * length.
     */
    private static final int PCAPNG_PACKET_HEADER = 4 + TIMESTAMP_LENGTH + 4 + 4;
    /** The obsolete packet block's drop count, after its 2-byte interface. */
    private static final int PCAPNG_OBSOLETE_DROPS_LENGTH = 2;
    /** The simple packet block's original length. */
    private static final int PCAPNG_SIMPLE_PACKET_HEADER = 4;
    /** What the link type of a packet whose interface the section does not describe is taken as. */
    private static final int UNKNOWN_LINK_TYPE = -1;

    private final PacketDecoder decoder;
    private final PacketCounters counters;
    private byte[] buf = new byte[BUFFER_SIZE + 64];

    /** Reads captures into {@code decoder}; {@code counters} takes the bytes, records and damaged files. */
    public PcapReader(PacketDecoder decoder, PacketCounters counters) {
        this.decoder = decoder;
        this.counters = counters;
    }

    /** Reads captures into a decoder of its own that hands the DNS on {@code port} to {@code sink}. */
    public PcapReader(DnsMessageSink sink, PacketCounters counters, int port) {
        this(new PacketDecoder(sink, counters, port), counters);
    }

    /** The decoder the frames go to. */
    public PacketDecoder decoder() {
        return decoder;
    }

    /** The decoder's {@link PacketDecoder#otherPorts}: the ports seen that were not the DNS port. */
    public PortTally otherPorts() {
        return decoder.otherPorts();
    }

    /** Sets the decoder's {@link PacketDecoder#afterMessage} action. */
    public PcapReader afterMessage(Runnable action) {
        decoder.afterMessage(action);
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
        InputStream counted = new CountingInputStream(in, counters);
        BufferedInputStream b = new BufferedInputStream(counted, BUFFER_SIZE);
        b.mark(4);
        int m0 = b.read();
        int m1 = b.read();
        b.reset();
        if (m0 < 0) {
            return Result.EMPTY;
        }
        InputStream data = b;
        if (m0 == GZIP_MAGIC_0 && m1 == GZIP_MAGIC_1) {
            try {
                data = new BufferedInputStream(new GZIPInputStream(b, BUFFER_SIZE), BUFFER_SIZE);
            } catch (IOException e) {
                counters.truncatedFiles.increment();
                return Result.TRUNCATED;
            }
        }
        try {
            return readCapture(new Input(data)) ? Result.READ : Result.NOT_A_CAPTURE;
        } catch (EOFException | ZipException | CorruptCapture e) {
            counters.truncatedFiles.increment();
            return Result.TRUNCATED;
        }
    }

    /** False when the input does not start like a pcap or pcapng file. */
    private boolean readCapture(Input in) throws IOException {
        int magic = in.int32(true);
        switch (magic) {
            case PCAP_MICROS, PCAP_NANOS -> readPcap(in, true);
            case PCAP_MICROS_SWAPPED, PCAP_NANOS_SWAPPED -> readPcap(in, false);
            case PCAPNG_SECTION_HEADER -> readPcapng(in);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void readPcap(Input in, boolean bigEndian) throws IOException {
        in.skip(PCAP_HEADER_BEFORE_LINK_TYPE);
        int linkType = in.int32(bigEndian) & PCAP_LINK_TYPE_MASK;
        while (true) {
            int first = in.in.read();
            if (first < 0) {
                return;
            }
            in.unread(first);
            in.skip(TIMESTAMP_LENGTH);
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
                type = PCAPNG_SECTION_HEADER;
                firstBlock = false;
            } else {
                int first = in.in.read();
                if (first < 0) {
                    return;
                }
                in.unread(first);
                type = in.int32(bigEndian);
            }
            if (type == PCAPNG_SECTION_HEADER) {
                byte[] raw = in.bytes(4);
                int bom = in.int32(true);
                if (bom == PCAPNG_BYTE_ORDER_MAGIC) {
                    bigEndian = true;
                } else if (bom == Integer.reverseBytes(PCAPNG_BYTE_ORDER_MAGIC)) {
                    bigEndian = false;
                } else {
                    throw corrupt("pcapng byte-order magic");
                }
                int total = int32(raw, bigEndian);
                checkBlockLength(total, PCAPNG_SECTION_HEADER_MIN);
                in.skip(total - PCAPNG_BLOCK_FRAME);
                linkTypes.clear();
                continue;
            }
            int total = in.int32(bigEndian);
            checkBlockLength(total, PCAPNG_BLOCK_FRAME);
            int body = total - PCAPNG_BLOCK_FRAME;
            switch (type) {
                case PCAPNG_INTERFACE_DESCRIPTION -> {
                    if (body < PCAPNG_INTERFACE_BODY_MIN) {
                        throw corrupt("interface block");
                    }
                    linkTypes.add(in.int16(bigEndian));
                    in.skip(body - PCAPNG_LINK_TYPE_LENGTH);
                }
                case PCAPNG_ENHANCED_PACKET -> {
                    if (body < PCAPNG_PACKET_HEADER) {
                        throw corrupt("packet block");
                    }
                    int iface = in.int32(bigEndian);
                    in.skip(TIMESTAMP_LENGTH);
                    capturedPacket(in, bigEndian, linkType(linkTypes, iface), body);
                }
                case PCAPNG_SIMPLE_PACKET -> { // interface 0
                    if (body < PCAPNG_SIMPLE_PACKET_HEADER) {
                        throw corrupt("simple packet block");
                    }
                    int origLen = in.int32(bigEndian);
                    int caplen = Math.min(body - PCAPNG_SIMPLE_PACKET_HEADER, Math.max(0, origLen));
                    packet(in, linkType(linkTypes, 0), caplen);
                    in.skip(body - PCAPNG_SIMPLE_PACKET_HEADER - caplen);
                }
                case PCAPNG_OBSOLETE_PACKET -> {
                    if (body < PCAPNG_PACKET_HEADER) {
                        throw corrupt("packet block");
                    }
                    int iface = in.int16(bigEndian);
                    in.skip(PCAPNG_OBSOLETE_DROPS_LENGTH + TIMESTAMP_LENGTH);
                    capturedPacket(in, bigEndian, linkType(linkTypes, iface), body);
                }
                default -> in.skip(body);
            }
            in.skip(PCAPNG_TRAILING_LENGTH);
        }
    }

    /**
     * The rest of an enhanced or obsolete packet block, whose header is read up to its captured and original
     * lengths: the packet, then the block's padding and options.
     */
    private void capturedPacket(Input in, boolean bigEndian, int linkType, int body) throws IOException {
        int caplen = in.int32(bigEndian);
        in.int32(bigEndian); // original length
        if (caplen < 0 || caplen > body - PCAPNG_PACKET_HEADER) {
            throw corrupt("packet block length");
        }
        packet(in, linkType, caplen);
        in.skip(body - PCAPNG_PACKET_HEADER - caplen);
    }

    private static void checkBlockLength(int total, int min) throws IOException {
        if (total < min || total > MAX_RECORD || (total & 3) != 0) {
            throw corrupt("block of " + total + " bytes");
        }
    }

    private static int linkType(List<Integer> linkTypes, int iface) {
        return iface >= 0 && iface < linkTypes.size() ? linkTypes.get(iface) : UNKNOWN_LINK_TYPE;
    }

    /** Reads one captured frame of {@code len} bytes and has it decoded. */
    private void packet(Input in, int linkType, int len) throws IOException {
        if (len > buf.length) {
            buf = new byte[len];
        }
        in.readFully(buf, 0, len);
        counters.packets.increment();
        decoder.decode(buf, len, linkType);
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
            this.in = new FilterInputStream(in) {};
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
}
