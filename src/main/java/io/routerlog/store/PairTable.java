package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The state of the pair aggregations ({@link PairGroups}, {@link PairOverview}, {@link PairTotals}) in primitive
 * tables: the queries per domain and per client (router and address), and which client asked for which domain, as
 * one {@code long} per (domain, client) link. The number of distinct clients of a domain, or of domains of a client,
 * is the number of its links. Nothing is allocated per pair but the growth of the tables, and no set per group: one
 * pass over 100,000 pairs used to build 100,000 hash sets of strings and sort them all.
 *
 * <p>The answers stay exact: every member keeps every group of the pairs it owns (a top N per member would not be
 * exact, since a domain's pairs are spread over all partitions), and {@link #addAll} joins tables by name. Only the
 * top N leave the caller, chosen with a bounded heap.
 */
final class PairTable {
    private final Names domains;
    private final Names clients;
    private final boolean linked;
    private final LongSet links;
    long queries;
    long pairs;

    /** @param linked whether to keep the domains and links (the totals need only the clients) */
    PairTable(boolean linked) {
        this.linked = linked;
        this.domains = new Names(linked ? 64 : 1);
        this.clients = new Names(16);
        this.links = new LongSet(linked ? 64 : 1);
    }

    /**
     * Counts one pair's queries for its domain and its client.
     *
     * @param linkClient false when the client must not count among the domain's clients (an outcome whose reply did
     *                   not name its client)
     */
    void add(String router, String client, String domain, long n, boolean linkClient) {
        queries += n;
        pairs++;
        int c = clients.add(router, client, n);
        if (linked) {
            int d = domains.add(domain, "", n);
            if (linkClient) {
                links.add(link(d, c));
            }
        }
    }

    private static long link(int domain, int client) {
        return ((long) domain << 32) | (client & 0xffffffffL);
    }

    /** Adds another table's counts (of other partitions or members): groups of the same name add up. */
    void addAll(PairTable other) {
        queries += other.queries;
        pairs += other.pairs;
        int[] c = clients.addAll(other.clients);
        if (linked) {
            int[] d = domains.addAll(other.domains);
            long[] l = other.links.table;
            for (long v : l) {
                if (v != LongSet.EMPTY) {
                    links.add(link(d[(int) (v >>> 32)], c[(int) v]));
                }
            }
        }
    }

    /** Distinct clients (router and address). */
    int clientCount() {
        return clients.size;
    }

    /** The {@code limit} domains with the most queries (ties by name) and their distinct clients. */
    java.util.List<PairGroups.Grouped> topDomains(int limit) {
        int[] top = domains.top(limit);
        int[] distinct = distinct(true, top);
        java.util.List<PairGroups.Grouped> out = new java.util.ArrayList<>(top.length);
        for (int i = 0; i < top.length; i++) {
            out.add(new PairGroups.Grouped(domains.first[top[i]], "", domains.sums[top[i]], distinct[i]));
        }
        return out;
    }

    /** The {@code limit} clients with the most queries (ties by router, then address) and their distinct domains. */
    java.util.List<PairGroups.Grouped> topClients(int limit) {
        int[] top = clients.top(limit);
        int[] distinct = distinct(false, top);
        java.util.List<PairGroups.Grouped> out = new java.util.ArrayList<>(top.length);
        for (int i = 0; i < top.length; i++) {
            out.add(new PairGroups.Grouped(
                    clients.first[top[i]], clients.second[top[i]], clients.sums[top[i]], distinct[i]));
        }
        return out;
    }

    /** For each of {@code ids} (domains, or clients), how many links it has. */
    private int[] distinct(boolean byDomain, int[] ids) {
        int[] out = new int[ids.length];
        if (ids.length == 0) {
            return out;
        }
        int[] slotOf = new int[(byDomain ? domains : clients).size];
        Arrays.fill(slotOf, -1);
        for (int i = 0; i < ids.length; i++) {
            slotOf[ids[i]] = i;
        }
        for (long v : links.table) {
            if (v != LongSet.EMPTY) {
                int s = slotOf[byDomain ? (int) (v >>> 32) : (int) v];
                if (s >= 0) {
                    out[s]++;
                }
            }
        }
        return out;
    }

    void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(queries);
        out.writeLong(pairs);
        clients.writeData(out);
        if (linked) {
            domains.writeData(out, false);
            out.writeInt(links.size);
            for (long v : links.table) {
                if (v != LongSet.EMPTY) {
                    out.writeLong(v);
                }
            }
        }
    }

    void readData(ObjectDataInput in) throws IOException {
        queries = in.readLong();
        pairs = in.readLong();
        clients.readData(in, true);
        if (linked) {
            domains.readData(in, false);
            int n = PairAggregation.size(in);
            for (int i = 0; i < n; i++) {
                long v = in.readLong();
                if (v < 0 || (v >>> 32) >= domains.size || (int) v >= clients.size) {
                    throw new IOException("link out of range: " + v);
                }
                links.add(v);
            }
        }
    }

    /** An open-addressing table of names (one or two strings), each with an id in insertion order and a sum. */
    static final class Names {
        String[] first;
        String[] second;
        long[] sums;
        /** The hash of each name, by id: joining tables does not read the strings of a new name. */
        int[] idHashes;

        int size;
        /** id + 1 of the name in each slot; 0 is free. */
        private int[] slots;
        /** The hash of the name in each slot: most probes that miss end here, without reading the strings. */
        private int[] hashes;

        Names(int capacity) {
            int c = Math.max(2, Integer.highestOneBit(Math.max(1, capacity) * 2 - 1));
            first = new String[c];
            second = new String[c];
            sums = new long[c];
            idHashes = new int[c];
            slots = new int[c * 2];
            hashes = new int[c * 2];
        }

        /** Adds {@code n} to the sum of (a, b), adding the name first when new; returns its id. */
        int add(String a, String b, long n) {
            return add(a, b, mix(a.hashCode() * 31 + b.hashCode()), n);
        }

        private int add(String a, String b, int h, long n) {
            int mask = slots.length - 1;
            for (int s = h & mask; ; s = (s + 1) & mask) {
                int id = slots[s] - 1;
                if (id < 0) {
                    if (size == first.length) {
                        grow();
                        return add(a, b, h, n);
                    }
                    id = size++;
                    first[id] = a;
                    second[id] = b;
                    sums[id] = n;
                    idHashes[id] = h;
                    slots[s] = id + 1;
                    hashes[s] = h;
                    return id;
                }
                if (hashes[s] == h && first[id].equals(a) && second[id].equals(b)) {
                    sums[id] += n;
                    return id;
                }
            }
        }

        /** Adds every name of {@code other} with its sum; returns this table's id for each of other's ids. */
        int[] addAll(Names other) {
            int[] ids = new int[other.size];
            if (size == 0 && other.size > first.length) {
                resize(Integer.highestOneBit(other.size * 2 - 1));
            }
            for (int i = 0; i < other.size; i++) {
                ids[i] = add(other.first[i], other.second[i], other.idHashes[i], other.sums[i]);
            }
            return ids;
        }

        private void grow() {
            resize(first.length * 2);
        }

        private void resize(int c) {
            first = Arrays.copyOf(first, c);
            second = Arrays.copyOf(second, c);
            sums = Arrays.copyOf(sums, c);
            idHashes = Arrays.copyOf(idHashes, c);
            int[] oldSlots = slots;
            int[] oldHashes = hashes;
            slots = new int[c * 2];
            hashes = new int[c * 2];
            int mask = slots.length - 1;
            for (int o = 0; o < oldSlots.length; o++) {
                if (oldSlots[o] != 0) {
                    int s = oldHashes[o] & mask;
                    while (slots[s] != 0) {
                        s = (s + 1) & mask;
                    }
                    slots[s] = oldSlots[o];
                    hashes[s] = oldHashes[o];
                }
            }
        }

        private static int mix(int h) {
            int x = h * 0x9E3779B9;
            return x ^ (x >>> 16);
        }

        /** True when id {@code i} comes before id {@code j}: more queries, then by name. */
        private boolean before(int i, int j) {
            if (sums[i] != sums[j]) {
                return sums[i] > sums[j];
            }
            int c = first[i].compareTo(first[j]);
            return c != 0 ? c < 0 : second[i].compareTo(second[j]) < 0;
        }

        /** The ids of the {@code limit} first names in the order of {@link #before}, in that order. */
        int[] top(int limit) {
            int k = Math.max(0, Math.min(limit, size));
            if (k == 0) {
                return new int[0];
            }
            // a heap of the k best so far whose root is the worst of them
            int[] heap = new int[k];
            int n = 0;
            for (int id = 0; id < size; id++) {
                if (n < k) {
                    heap[n] = id;
                    siftUp(heap, n++);
                } else if (before(id, heap[0])) {
                    heap[0] = id;
                    siftDown(heap, n);
                }
            }
            int[] out = new int[n];
            for (int i = n - 1; i >= 0; i--) {
                out[i] = heap[0];
                heap[0] = heap[i];
                siftDown(heap, i);
            }
            return out;
        }

        private void siftUp(int[] heap, int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!before(heap[parent], heap[i])) {
                    return;
                }
                swap(heap, parent, i);
                i = parent;
            }
        }

        private void siftDown(int[] heap, int n) {
            int i = 0;
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) {
                    return;
                }
                int worst = l + 1 < n && before(heap[l], heap[l + 1]) ? l + 1 : l;
                if (!before(heap[i], heap[worst])) {
                    return;
                }
                swap(heap, i, worst);
                i = worst;
            }
        }

        private static void swap(int[] a, int i, int j) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }

        void writeData(ObjectDataOutput out) throws IOException {
            writeData(out, true);
        }

        void writeData(ObjectDataOutput out, boolean withSecond) throws IOException {
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeString(first[i]);
                if (withSecond) {
                    out.writeString(second[i]);
                }
                out.writeLong(sums[i]);
            }
        }

        void readData(ObjectDataInput in, boolean withSecond) throws IOException {
            int n = PairAggregation.size(in);
            for (int i = 0; i < n; i++) {
                String a = PairAggregation.string(in);
                String b = withSecond ? PairAggregation.string(in) : "";
                if (add(a, b, in.readLong()) != i) {
                    throw new IOException("duplicate name " + a);
                }
            }
        }
    }

    /** An open-addressing set of non-negative longs. */
    static final class LongSet {
        static final long EMPTY = -1;
        long[] table;
        int size;

        LongSet(int capacity) {
            table = new long[Math.max(2, Integer.highestOneBit(Math.max(1, capacity) * 2 - 1) * 2)];
            Arrays.fill(table, EMPTY);
        }

        void add(long v) {
            if ((size + 1) * 2 > table.length) {
                long[] old = table;
                table = new long[old.length * 2];
                Arrays.fill(table, EMPTY);
                size = 0;
                for (long o : old) {
                    if (o != EMPTY) {
                        add(o);
                    }
                }
            }
            int mask = table.length - 1;
            for (int s = (int) mixLong(v) & mask; ; s = (s + 1) & mask) {
                if (table[s] == EMPTY) {
                    table[s] = v;
                    size++;
                    return;
                }
                if (table[s] == v) {
                    return;
                }
            }
        }

        private static long mixLong(long v) {
            long x = v * 0x9E3779B97F4A7C15L;
            return x ^ (x >>> 29);
        }
    }
}
