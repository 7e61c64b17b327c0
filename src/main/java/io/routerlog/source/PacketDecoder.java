package io.routerlog.source;

import io.routerlog.parser.DnsMessageSink;
import io.routerlog.stats.PacketCounters;

/**
 * Finds the DNS message in one captured frame and hands it to a {@link DnsMessageSink}: link layer, then IPv4 or
 * IPv6, then UDP or TCP on the DNS port.
 *
 * <ul>
 *   <li>Link types: Ethernet (with VLAN tags), Linux cooked capture v1 and v2, raw IP, BSD loopback.</li>
 *   <li>IPv4 and IPv6 (extension headers skipped); only the first fragment of a fragmented datagram is looked at
 *       (and usually fails to decode, counted as malformed).</li>
 *   <li>UDP and TCP from or to the DNS port. TCP segments are not reassembled: a segment whose payload holds one
 *       or more complete length-prefixed messages is read; a message split over segments is counted as
 *       incomplete and skipped. Queries and short answers fit in one segment in practice.</li>
 * </ul>
 *
 * A frame that is cut short or malformed is counted and skipped; nothing in a frame throws. It knows nothing of
 * capture files: {@link PcapReader} reads those, for files and for live capture alike, and gives each frame here.
 * One instance per reading thread: the buffers are reused.
 */
public final class PacketDecoder {
    /** Link types of the pcap and pcapng headers (tcpdump.org's LINKTYPE_ values). */
    static final int LINK_NULL = 0;

    static final int LINK_ETHERNET = 1;
    static final int LINK_RAW = 101;
    static final int LINK_RAW_OPENBSD = 12;
    static final int LINK_SLL = 113;
    static final int LINK_IPV4 = 228;
    static final int LINK_IPV6 = 229;
    static final int LINK_SLL2 = 276;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    /** 802.1Q VLAN tag. */
    static final int ETHERTYPE_VLAN = 0x8100;
    /** 802.1ad service tag (QinQ). */
    static final int ETHERTYPE_QINQ = 0x88a8;
    /** The service tag QinQ used before 802.1ad. */
    static final int ETHERTYPE_QINQ_OLD = 0x9100;
    /** Not a network protocol: what a link header that names none is taken as. */
    private static final int ETHERTYPE_NONE = 0;

    /** Where the EtherType of an untagged Ethernet frame is: after the destination and source MAC. */
    private static final int ETHERNET_TYPE_OFFSET = 12;

    private static final int ETHERTYPE_LENGTH = 2;
    /** A VLAN tag: its EtherType and the tag control information. */
    private static final int VLAN_TAG_LENGTH = 4;

    private static final int SLL_HEADER_LENGTH = 16;
    private static final int SLL_PROTOCOL_OFFSET = 14;
    private static final int SLL2_HEADER_LENGTH = 20;
    private static final int SLL2_PROTOCOL_OFFSET = 0;
    /** BSD loopback: the address family as a 4-byte integer in the capturing host's byte order. */
    private static final int NULL_HEADER_LENGTH = 4;

    private static final int BSD_AF_INET = 2;
    /** AF_INET6 of NetBSD/OpenBSD, FreeBSD and macOS, in that order. */
    private static final int BSD_AF_INET6 = 24;

    private static final int FREEBSD_AF_INET6 = 28;
    private static final int DARWIN_AF_INET6 = 30;

    private static final int IPV4_MIN_HEADER_LENGTH = 20;
    private static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    private static final int IPV4_FRAGMENT_OFFSET = 6;
    private static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;
    private static final int IPV4_PROTOCOL_OFFSET = 9;
    private static final int IPV4_SOURCE_OFFSET = 12;
    private static final int IPV4_DESTINATION_OFFSET = 16;
    private static final int IPV4_ADDRESS_LENGTH = 4;

    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int IPV6_NEXT_HEADER_OFFSET = 6;
    private static final int IPV6_SOURCE_OFFSET = 8;
    private static final int IPV6_DESTINATION_OFFSET = 24;
    private static final int IPV6_ADDRESS_LENGTH = 16;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DESTINATION_OPTIONS = 60;
    /** Options headers count their length in 8-byte units, not counting the first 8. */
    private static final int IPV6_EXTENSION_UNIT = 8;

    private static final int IPV6_FRAGMENT_HEADER_LENGTH = 8;
    private static final int IPV6_FRAGMENT_OFFSET_MASK = 0xfff8;
    /** More extension headers than this before the transport is taken as no DNS. */
    private static final int IPV6_MAX_EXTENSION_HEADERS = 8;

    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int UDP_LENGTH_OFFSET = 4;
    private static final int TCP_MIN_HEADER_LENGTH = 20;
    private static final int TCP_DATA_OFFSET_OFFSET = 12;
    /** DNS over TCP: each message follows its length as 2 bytes. */
    private static final int TCP_DNS_LENGTH_PREFIX = 2;

    private static final int DNS_HEADER_LENGTH = 12;

    /** In {@link #addrs} and in front of each message handed on: the source address here, the destination next. */
    private static final int SOURCE_AT = 0;

    private static final int DESTINATION_AT = IPV6_ADDRESS_LENGTH;
    private static final int ADDRESSES_LENGTH = 2 * IPV6_ADDRESS_LENGTH;

    private final DnsMessageSink sink;
    private final PacketCounters counters;
    private final int port;
    private Runnable afterMessage = () -> {};
    /** Addresses of the current packet: source at 0, destination at 16. */
    private final byte[] addrs = new byte[ADDRESSES_LENGTH];
    /** The ports of UDP and TCP packets that were not on the DNS port. */
    private final PortTally otherPorts = new PortTally();

    private byte[] messageBuffer = new byte[ADDRESSES_LENGTH + 4096];

    /** @param port the DNS port: UDP and TCP packets from or to it are read, the others counted as not DNS */
    public PacketDecoder(DnsMessageSink sink, PacketCounters counters, int port) {
        this.sink = sink;
        this.counters = counters;
        this.port = port;
    }

    /**
     * The ports of the UDP and TCP packets decoded so far that were not on the DNS port: when a capture has packets
     * but no DNS, the port it was taken on is usually the one seen most.
     */
    public PortTally otherPorts() {
        return otherPorts;
    }

    /**
     * Runs {@code action} after each DNS message handed on (on the decoding thread): a place to wait while the
     * events' receiver is full.
     */
    public PacketDecoder afterMessage(Runnable action) {
        this.afterMessage = action;
        return this;
    }

    /** Decodes one link-layer frame {@code b[0, len)} of link type {@code linkType}. */
    public void decode(byte[] b, int len, int linkType) {
        switch (linkType) {
            case LINK_ETHERNET -> {
                int p = ETHERNET_TYPE_OFFSET;
                while (true) {
                    if (p + ETHERTYPE_LENGTH > len) {
                        counters.malformed.increment();
                        return;
                    }
                    int ethType = u16(b, p);
                    if (ethType == ETHERTYPE_VLAN || ethType == ETHERTYPE_QINQ || ethType == ETHERTYPE_QINQ_OLD) {
                        p += VLAN_TAG_LENGTH;
                        continue;
                    }
                    network(b, p + ETHERTYPE_LENGTH, len, ethType);
                    return;
                }
            }
            case LINK_SLL -> {
                if (len < SLL_HEADER_LENGTH) {
                    counters.malformed.increment();
                    return;
                }
                network(b, SLL_HEADER_LENGTH, len, u16(b, SLL_PROTOCOL_OFFSET));
            }
            case LINK_SLL2 -> {
                if (len < SLL2_HEADER_LENGTH) {
                    counters.malformed.increment();
                    return;
                }
                network(b, SLL2_HEADER_LENGTH, len, u16(b, SLL2_PROTOCOL_OFFSET));
            }
            case LINK_RAW, LINK_RAW_OPENBSD, LINK_IPV4, LINK_IPV6 -> {
                if (len < 1) {
                    counters.malformed.increment();
                    return;
                }
                int version = ipVersion(b, 0);
                network(b, 0, len, version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_NONE);
            }
            case LINK_NULL -> {
                if (len < NULL_HEADER_LENGTH) {
                    counters.malformed.increment();
                    return;
                }
                // host byte order: the family is in one of the ends, zeros in the rest
                int family = (b[0] & 0xff) | (b[3] & 0xff);
                network(
                        b,
                        NULL_HEADER_LENGTH,
                        len,
                        family == BSD_AF_INET
                                ? ETHERTYPE_IPV4
                                : family == BSD_AF_INET6 || family == FREEBSD_AF_INET6 || family == DARWIN_AF_INET6
                                        ? ETHERTYPE_IPV6
                                        : ETHERTYPE_NONE);
            }
            default -> counters.notDns.increment();
        }
    }

    private void network(byte[] b, int p, int len, int ethType) {
        if (ethType == ETHERTYPE_IPV4) {
            ipv4(b, p, len);
        } else if (ethType == ETHERTYPE_IPV6) {
            ipv6(b, p, len);
        } else {
            counters.notDns.increment();
        }
    }

    private void ipv4(byte[] b, int p, int len) {
        if (p + IPV4_MIN_HEADER_LENGTH > len || ipVersion(b, p) != 4) {
            counters.malformed.increment();
            return;
        }
        int ihl = (b[p] & 0x0f) * 4;
        int total = u16(b, p + IPV4_TOTAL_LENGTH_OFFSET);
        if (ihl < IPV4_MIN_HEADER_LENGTH || total < ihl || p + ihl > len) {
            counters.malformed.increment();
            return;
        }
        int end = Math.min(len, p + total);
        if ((u16(b, p + IPV4_FRAGMENT_OFFSET) & IPV4_FRAGMENT_OFFSET_MASK) != 0) {
            counters.notDns.increment(); // a later fragment: no transport header
            return;
        }
        System.arraycopy(b, p + IPV4_SOURCE_OFFSET, addrs, SOURCE_AT, IPV4_ADDRESS_LENGTH);
        System.arraycopy(b, p + IPV4_DESTINATION_OFFSET, addrs, DESTINATION_AT, IPV4_ADDRESS_LENGTH);
        transport(b, p + ihl, end, b[p + IPV4_PROTOCOL_OFFSET] & 0xff, IPV4_ADDRESS_LENGTH);
    }

    private void ipv6(byte[] b, int p, int len) {
        if (p + IPV6_HEADER_LENGTH > len || ipVersion(b, p) != 6) {
            counters.malformed.increment();
            return;
        }
        int end = Math.min(len, p + IPV6_HEADER_LENGTH + u16(b, p + IPV6_PAYLOAD_LENGTH_OFFSET));
        System.arraycopy(b, p + IPV6_SOURCE_OFFSET, addrs, SOURCE_AT, IPV6_ADDRESS_LENGTH);
        System.arraycopy(b, p + IPV6_DESTINATION_OFFSET, addrs, DESTINATION_AT, IPV6_ADDRESS_LENGTH);
        int next = b[p + IPV6_NEXT_HEADER_OFFSET] & 0xff;
        int q = p + IPV6_HEADER_LENGTH;
        for (int hops = 0; hops < IPV6_MAX_EXTENSION_HEADERS; hops++) {
            if (next == IPV6_HOP_BY_HOP || next == IPV6_ROUTING || next == IPV6_DESTINATION_OPTIONS) {
                if (q + 2 > end) {
                    counters.malformed.increment();
                    return;
                }
                next = b[q] & 0xff;
                q += IPV6_EXTENSION_UNIT + (b[q + 1] & 0xff) * IPV6_EXTENSION_UNIT;
            } else if (next == IPV6_FRAGMENT) {
                if (q + IPV6_FRAGMENT_HEADER_LENGTH > end) {
                    counters.malformed.increment();
                    return;
                }
                if ((u16(b, q + 2) & IPV6_FRAGMENT_OFFSET_MASK) != 0) {
                    counters.notDns.increment();
                    return;
                }
                next = b[q] & 0xff;
                q += IPV6_FRAGMENT_HEADER_LENGTH;
            } else {
                break;
            }
        }
        if (q > end) {
            counters.malformed.increment();
            return;
        }
        transport(b, q, end, next, IPV6_ADDRESS_LENGTH);
    }

    private void transport(byte[] b, int p, int end, int protocol, int addrLen) {
        if (protocol == PROTOCOL_UDP) {
            if (p + UDP_HEADER_LENGTH > end) {
                counters.malformed.increment();
                return;
            }
            if (!onDnsPort(b, p)) {
                return;
            }
            int udpLen = u16(b, p + UDP_LENGTH_OFFSET);
            // 0: a jumbogram; trust the IP length
            int stop = udpLen >= UDP_HEADER_LENGTH ? Math.min(end, p + udpLen) : end;
            message(b, p + UDP_HEADER_LENGTH, stop - p - UDP_HEADER_LENGTH, addrLen);
        } else if (protocol == PROTOCOL_TCP) {
            if (p + TCP_MIN_HEADER_LENGTH > end) {
                counters.malformed.increment();
                return;
            }
            if (!onDnsPort(b, p)) {
                return;
            }
            int dataOff = ((b[p + TCP_DATA_OFFSET_OFFSET] & 0xf0) >> 4) * 4;
            if (dataOff < TCP_MIN_HEADER_LENGTH || p + dataOff > end) {
                counters.malformed.increment();
                return;
            }
            int q = p + dataOff;
            if (q == end) {
                return; // handshake, ACK, FIN: no data
            }
            while (q < end) {
                if (q + TCP_DNS_LENGTH_PREFIX > end) {
                    counters.tcpIncomplete.increment();
                    return;
                }
                int n = u16(b, q);
                if (q + TCP_DNS_LENGTH_PREFIX + n > end) {
                    counters.tcpIncomplete.increment();
                    return;
                }
                message(b, q + TCP_DNS_LENGTH_PREFIX, n, addrLen);
                q += TCP_DNS_LENGTH_PREFIX + n;
            }
        } else {
            counters.notDns.increment();
        }
    }

    /** True when the UDP or TCP header at {@code p} has the DNS port on either end; else counted as not DNS. */
    private boolean onDnsPort(byte[] b, int p) {
        int source = u16(b, p);
        int destination = u16(b, p + 2);
        if (source != port && destination != port) {
            counters.notDns.increment();
            otherPorts.add(source, destination);
            return false;
        }
        return true;
    }

    private void message(byte[] b, int off, int len, int addrLen) {
        if (len < DNS_HEADER_LENGTH) {
            counters.malformed.increment();
            return;
        }
        counters.dnsMessages.increment();
        // the message is copied behind the addresses so the sink sees one buffer
        byte[] m = messageBuf(ADDRESSES_LENGTH + len);
        System.arraycopy(addrs, 0, m, 0, ADDRESSES_LENGTH);
        System.arraycopy(b, off, m, ADDRESSES_LENGTH, len);
        sink.message(m, SOURCE_AT, DESTINATION_AT, addrLen, ADDRESSES_LENGTH, len);
        afterMessage.run();
    }

    private byte[] messageBuf(int n) {
        if (n > messageBuffer.length) {
            messageBuffer = new byte[n];
        }
        return messageBuffer;
    }

    private static int ipVersion(byte[] b, int p) {
        return (b[p] & 0xf0) >> 4;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
