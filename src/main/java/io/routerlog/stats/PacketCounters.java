package io.routerlog.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the packet sources (pcap files, live capture) saw: bytes and packets read, DNS messages found, queries and
 * responses decoded, and what was skipped. Written by the reading threads without locks.
 */
public final class PacketCounters {
    /** Bytes of capture data read (before decompression). */
    public final LongAdder bytes = new LongAdder();
    /** Packet records read. */
    public final LongAdder packets = new LongAdder();
    /** DNS messages found on the DNS port (UDP payloads, complete TCP messages). */
    public final LongAdder dnsMessages = new LongAdder();

    public final LongAdder queries = new LongAdder();
    public final LongAdder responses = new LongAdder();
    /** Packets that are not DNS lookups: other link types or protocols, other ports, IP fragments after the first,
     * DNS messages with another opcode than QUERY. */
    public final LongAdder notDns = new LongAdder();
    /** TCP segments on the DNS port whose message does not end in the same segment (no reassembly). */
    public final LongAdder tcpIncomplete = new LongAdder();
    /** Packets cut short or with impossible headers, and DNS messages that do not decode. */
    public final LongAdder malformed = new LongAdder();
    /** Capture files (or streams) that ended in the middle of a record or had a corrupt header. */
    public final LongAdder truncatedFiles = new LongAdder();

    @Override
    public String toString() {
        return packets.sum() + " packets, " + dnsMessages.sum() + " DNS messages (" + queries.sum() + " queries, "
                + responses.sum() + " responses), " + notDns.sum() + " not DNS, " + tcpIncomplete.sum()
                + " incomplete TCP, " + malformed.sum() + " malformed, " + truncatedFiles.sum() + " truncated files";
    }
}
