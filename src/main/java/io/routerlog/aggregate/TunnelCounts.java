package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import io.routerlog.event.TunnelQuery;
import java.util.Arrays;

/**
 * DNSTT queries of one receive thread between two flushes: per (tunnel, sender address) the valid queries, their
 * bytes and the invalid names, and the set of sessions seen with the sender of their latest query. Counting a
 * known sender or session allocates nothing.
 *
 * <p>Not thread-safe; {@link LocalAggregator} guards it.
 */
final class TunnelCounts {
    /** Receives what {@link #drain} hands over. */
    interface Visitor {
        void sender(int domainIndex, String sender, long queries, long bytes, long invalid, long bytesOut);

        /** A session seen since the last drain, the sender of its latest query, its queries and their bytes. */
        void session(int domainIndex, long clientId, String sender, long queries, long bytes);
    }

    private final int capacity;
    private final BytesTable senders;
    private long[] queries;
    private long[] bytes;
    private long[] invalid;
    private long[] bytesOut;
    private String[] senderNames;
    private final byte[] scratch = new byte[1 + 256];

    // sessions: open addressing over (clientId, domain), values = sender entry; grows up to capacity
    private int[] slots;
    private long[] sessionIds;
    private int[] sessionDomains;
    private int[] sessionSenders;
    private long[] sessionQueries;
    private long[] sessionBytes;
    private int sessions;

    TunnelCounts(int capacity) {
        this.capacity = capacity;
        int initial = Math.min(capacity, 64);
        this.senders = new BytesTable(initial);
        this.queries = new long[initial];
        this.bytes = new long[initial];
        this.invalid = new long[initial];
        this.bytesOut = new long[initial];
        this.senderNames = new String[initial];
        this.slots = new int[Integer.highestOneBit(Math.max(2, initial * 2 - 1)) << 1];
        this.sessionIds = new long[initial];
        this.sessionDomains = new int[initial];
        this.sessionSenders = new int[initial];
        this.sessionQueries = new long[initial];
        this.sessionBytes = new long[initial];
    }

    /** Counts one query; false when something new did not fit (the rest is still counted). */
    boolean add(TunnelQuery q) {
        int e = senderEntry(q);
        if (e < 0) {
            return false;
        }
        if (!q.hasSession()) {
            invalid[e]++;
            return true;
        }
        queries[e]++;
        bytes[e] += q.wireBytes();
        return session(q.clientId(), q.domainIndex(), e, q.wireBytes());
    }

    /** Counts the bytes of one response sent to {@code q.sender()}; false when a new sender did not fit. */
    boolean addResponse(TunnelQuery q) {
        int e = senderEntry(q);
        if (e < 0) {
            return false;
        }
        bytesOut[e] += q.wireBytes();
        return true;
    }

    /** The entry of (tunnel, sender), added if new; -1 when it is new and the table is full. */
    private int senderEntry(TunnelQuery q) {
        int n = 1 + q.senderLength();
        scratch[0] = (byte) q.domainIndex();
        System.arraycopy(q.buf(), q.senderOffset(), scratch, 1, q.senderLength());
        int h = Bytes.hash(Bytes.HASH_SEED, scratch, 0, n);
        int e = senders.find(scratch, 0, n, h);
        if (e < 0) {
            if (senders.size() >= capacity) {
                return -1;
            }
            e = senders.findOrAdd(scratch, 0, n, h);
            if (e >= queries.length) {
                int len = Math.min(queries.length * 2, capacity);
                queries = Arrays.copyOf(queries, len);
                bytes = Arrays.copyOf(bytes, len);
                invalid = Arrays.copyOf(invalid, len);
                bytesOut = Arrays.copyOf(bytesOut, len);
                senderNames = Arrays.copyOf(senderNames, len);
            }
        }
        return e;
    }

    private boolean session(long id, int domain, int sender, long wireBytes) {
        int mask = slots.length - 1;
        for (int i = slot(id, domain, mask); ; i = (i + 1) & mask) {
            int s = slots[i] - 1;
            if (s < 0) {
                if (sessions >= capacity) {
                    return false;
                }
                s = sessions++;
                slots[i] = s + 1;
                sessionIds[s] = id;
                sessionDomains[s] = domain;
                sessionSenders[s] = sender;
                sessionQueries[s] = 1;
                sessionBytes[s] = wireBytes;
                if (sessions == sessionIds.length && sessions < capacity) {
                    grow();
                }
                return true;
            }
            if (sessionIds[s] == id && sessionDomains[s] == domain) {
                sessionSenders[s] = sender;
                sessionQueries[s]++;
                sessionBytes[s] += wireBytes;
                return true;
            }
        }
    }

    private static int slot(long id, int domain, int mask) {
        return Bytes.mix(Long.hashCode(id) * 31 + domain) & mask;
    }

    private void grow() {
        int len = Math.min(sessionIds.length * 2, capacity);
        sessionIds = Arrays.copyOf(sessionIds, len);
        sessionDomains = Arrays.copyOf(sessionDomains, len);
        sessionSenders = Arrays.copyOf(sessionSenders, len);
        sessionQueries = Arrays.copyOf(sessionQueries, len);
        sessionBytes = Arrays.copyOf(sessionBytes, len);
        slots = new int[Integer.highestOneBit(len * 2 - 1) << 1];
        int mask = slots.length - 1;
        for (int s = 0; s < sessions; s++) {
            int i = slot(sessionIds[s], sessionDomains[s], mask);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = s + 1;
        }
    }

    /** Hands everything counted to {@code visitor} and starts over (known senders are kept while few). */
    void drain(Visitor visitor) {
        for (int e = 0, n = senders.size(); e < n; e++) {
            if (queries[e] != 0 || invalid[e] != 0 || bytesOut[e] != 0) {
                visitor.sender(domainOf(e), senderName(e), queries[e], bytes[e], invalid[e], bytesOut[e]);
                queries[e] = 0;
                bytes[e] = 0;
                invalid[e] = 0;
                bytesOut[e] = 0;
            }
        }
        for (int s = 0; s < sessions; s++) {
            visitor.session(
                    sessionDomains[s],
                    sessionIds[s],
                    senderName(sessionSenders[s]),
                    sessionQueries[s],
                    sessionBytes[s]);
        }
        if (sessions > 0) {
            Arrays.fill(slots, 0);
            sessions = 0;
        }
        if (senders.size() > capacity / 2) {
            Arrays.fill(senderNames, 0, senders.size(), null);
            senders.clear();
        }
    }

    private int domainOf(int entry) {
        return senders.keyBytes()[senders.keyOffset(entry)] & 0xff;
    }

    private String senderName(int entry) {
        String name = senderNames[entry];
        if (name == null) {
            name = Bytes.decode(senders.keyBytes(), senders.keyOffset(entry) + 1, senders.keyLength(entry) - 1);
            senderNames[entry] = name;
        }
        return name;
    }
}
