package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The state of the pair aggregations ({@link PairGroups}, {@link PairOverview}, {@link PairTotals}) in primitive
 * tables: the queries per domain and per client (router and address), and how many distinct clients asked for each
 * domain and how many distinct domains each client asked for. Nothing is allocated per pair but the growth of the
 * tables, and no set per group: one pass over 100,000 pairs used to build 100,000 hash sets of strings and sort them
 * all. Groups are kept by the bytes of the stored keys, so a pass decodes no label: only the top N become strings.
 *
 * <p>A (domain, client) link is counted once however many query types it has. All of a link's pairs are in one
 * shard ({@link PairBytes#shardHash}), so the links are only told apart within a shard: a set of the shard's links
 * becomes distinct counts at the end of each shard ({@link #endShard}), and from then on the counts of shards,
 * partitions and members add up. A member sends the caller a name with its sum and its distinct count, never a link.
 *
 * <p>The answers stay exact: every member keeps every group of the pairs it owns (a top N per member would not be
 * exact, since a domain's pairs are spread over all partitions). The tables a member makes of its partitions join by
 * name ({@link #addAll}); the caller merges the members' tables ({@link Names#merge}), which each member sends in
 * the order of its names' hashes, so that equal names meet in one pass without a table of all of them. Only the top
 * N leave the caller.
 */
final class PairTable {
    /** Most groups a table makes room for ahead, from a count another member sent; beyond, it grows. */
    static final int PRESIZE_LIMIT = 1 << 18;

    private final Names domains;
    private final Names clients;
    private final boolean linked;
    /** The links of the shard being read, each a domain's id and a client's id ({@link #link}). */
    private final LongSet links;

    long queries;
    long pairs;
    /** Tables read off the wire, whose names are kept apart until an answer merges them ({@link Names#merge}). */
    private final List<PairTable> parts = new ArrayList<>();
    /** Whether this table was read off the wire (its names in the order of their hashes, not indexed). */
    private boolean received;

    /** @param linked whether to keep the domains and the distinct counts (the totals need only the clients) */
    PairTable(boolean linked) {
        this.linked = linked;
        this.domains = new Names(linked ? 64 : 1, false);
        this.clients = new Names(16, true);
        this.links = new LongSet(linked ? 64 : 1);
    }

    /**
     * Counts one pair's queries for its domain and its client. The pairs of one shard are added one after the other,
     * then {@link #endShard}.
     *
     * @param b          holds the pair's stored key ({@link PairBytes}) from {@code off}
     * @param f          the key's fields, read
     * @param linkClient false when the client must not count among the domain's clients (an outcome whose reply did
     *                   not name its client)
     */
    void add(byte[] b, int off, PairBytes.Fields f, long n, boolean linkClient) {
        queries += n;
        pairs++;
        int c = clients.add(b, off, f.clientEnd() - off, n);
        if (linked) {
            int d = domains.add(b, f.domainOffset(), f.domainLength(), n);
            if (linkClient) {
                links.add(link(d, c));
            }
        }
    }

    private static long link(int domain, int client) {
        return ((long) domain << 32) | (client & 0xffffffffL);
    }

    /**
     * Ends a shard: each of its links counts one distinct client for its domain and one distinct domain for its
     * client. Reading a later shard's links into the same set would count right too (no link is in two shards), but
     * would keep every link of the member in the set.
     */
    void endShard() {
        if (links.size == 0) {
            return;
        }
        for (long v : links.table) {
            if (v != LongSet.EMPTY) {
                domains.distinct[(int) (v >>> 32)]++;
                clients.distinct[(int) v]++;
            }
        }
        links.clear();
    }

    /**
     * The table that holds {@code into}'s counts and {@code from}'s. A table another member sent is kept apart, its
     * names in the order it sent them, for the answer to merge with the others ({@link Names#merge}): adding tens of
     * thousands of names a member sent into one table, name by name, was most of a three-node answer's time. Of two
     * tables made here, {@code from} itself when {@code into} has counted nothing, else {@code into} after
     * {@link #addAll}: an aggregation's first combine is into an empty table, and copying every group of a member's
     * table into it was a fifth of the overview's time on one node. {@code from} must not be used after.
     */
    static PairTable join(PairTable into, PairTable from) {
        if (from.received) {
            into.keepApart(from);
            return into;
        }
        if (into.received) {
            from.keepApart(into);
            return from;
        }
        if (into.pairs == 0 && into.clients.size() == 0 && into.parts.isEmpty() && into.linked == from.linked) {
            return from;
        }
        into.addAll(from);
        return into;
    }

    /** Takes the counts of a table read off the wire (and of the tables it keeps apart), keeping their names apart. */
    private void keepApart(PairTable other) {
        queries += other.queries;
        pairs += other.pairs;
        other.queries = 0;
        other.pairs = 0;
        parts.addAll(other.parts);
        other.parts.clear();
        parts.add(other);
    }

    /**
     * Adds another table's counts (of other shards: other partitions or members): groups of the same name add up,
     * their queries and their distinct counts.
     */
    void addAll(PairTable other) {
        endShard();
        other.endShard();
        queries += other.queries;
        pairs += other.pairs;
        clients.addAll(other.clients);
        if (linked) {
            domains.addAll(other.domains);
        }
        parts.addAll(other.parts);
        other.parts.clear();
    }

    /** Distinct clients (router and address). */
    int clientCount() {
        return top(false, 0).names();
    }

    /** The {@code limit} domains with the most queries (ties by name) and their distinct clients. */
    List<PairGroups.Grouped> topDomains(int limit) {
        return top(true, limit).items();
    }

    /** The {@code limit} clients with the most queries (ties by router, then address) and their distinct domains. */
    List<PairGroups.Grouped> topClients(int limit) {
        return top(false, limit).items();
    }

    /** {@link #topClients} with {@link #clientCount}, from one merge of the members' clients. */
    Top topClientsCounted(int limit) {
        return top(false, limit);
    }

    /** A top list and the number of distinct names it was chosen from. */
    record Top(List<PairGroups.Grouped> items, int names) {}

    private Top top(boolean ofDomains, int limit) {
        endShard();
        Names from;
        int names;
        if (parts.isEmpty()) {
            from = ofDomains ? domains : clients;
            names = from.size();
        } else {
            Names.Merged merged = Names.merge(names(ofDomains), limit);
            from = merged.candidates();
            names = merged.names();
        }
        int[] top = from.top(limit);
        List<PairGroups.Grouped> out = new ArrayList<>(top.length);
        for (int id : top) {
            out.add(new PairGroups.Grouped(from.first(id), from.second(id), from.sums[id], from.distinct[id]));
        }
        return new Top(out, names);
    }

    /** This table's domains (or clients) and those of the tables it keeps apart. */
    private List<Names> names(boolean ofDomains) {
        List<Names> all = new ArrayList<>(1 + parts.size());
        all.add(ofDomains ? domains : clients);
        for (PairTable p : parts) {
            all.add(ofDomains ? p.domains : p.clients);
        }
        return all;
    }

    void writeData(ObjectDataOutput out) throws IOException {
        endShard();
        for (PairTable p : parts) { // not expected: a member sends what it read itself
            clients.addAll(p.clients);
            if (linked) {
                domains.addAll(p.domains);
            }
        }
        parts.clear();
        out.writeLong(queries);
        out.writeLong(pairs);
        clients.writeData(out);
        if (linked) {
            domains.writeData(out);
        }
    }

    void readData(ObjectDataInput in) throws IOException {
        received = true;
        queries = in.readLong();
        pairs = in.readLong();
        clients.readData(in);
        if (linked) {
            domains.readData(in);
        }
    }

    /**
     * The groups of one kind, by their stored bytes (a domain, or a client key: router and address as a pair's key
     * starts with them), each with an id in insertion order and a sum. Only the names that leave the table are
     * decoded.
     */
    static final class Names {
        /** Longest name read from another member: a stored label is far shorter. */
        private static final int MAX_NAME = 1 << 16;
        /** Names from which {@link #hashOrder} sorts by radix (below, a comparison sort is as fast). */
        static final int RADIX_FROM = 8192;

        private final BytesTable keys;
        long[] sums;
        /** Per name, the distinct names of the other kind it was asked with (its links, {@link #endShard}). */
        int[] distinct;
        /** Whether a name is a client key (two labels) rather than a domain. */
        private final boolean clientKeys;
        /** Whether the ids are in the order of the names' hashes (as read off the wire): nothing was added since. */
        private boolean inHashOrder;

        private final PairBytes.Fields left = new PairBytes.Fields();
        private final PairBytes.Fields right = new PairBytes.Fields();

        Names(int capacity, boolean clientKeys) {
            this.keys = new BytesTable(capacity);
            this.sums = new long[Math.max(2, capacity)];
            this.distinct = new int[sums.length];
            this.clientKeys = clientKeys;
        }

        int size() {
            return keys.size();
        }

        /** Adds {@code n} to the sum of the name {@code b[off, off+len)}, adding the name first when new; its id. */
        int add(byte[] b, int off, int len, long n) {
            return add(b, off, len, Bytes.hash(Bytes.HASH_SEED, b, off, len), n);
        }

        private int add(byte[] b, int off, int len, int hash, long n) {
            inHashOrder = false;
            int id = keys.findOrAdd(b, off, len, hash);
            if (id >= sums.length) {
                grow(Math.max(sums.length * 2, id + 1));
            }
            sums[id] += n;
            return id;
        }

        private void grow(int capacity) {
            sums = Arrays.copyOf(sums, capacity);
            distinct = Arrays.copyOf(distinct, capacity);
        }

        /** Adds every name of {@code other} with its sum and its distinct count. */
        void addAll(Names other) {
            int n = other.size();
            ensureCapacity(size() + n, keys.keyBytesUsed() + other.keys.keyBytesUsed());
            byte[] b = other.keys.keyBytes();
            for (int i = 0; i < n; i++) {
                int id = add(b, other.keys.keyOffset(i), other.keys.keyLength(i), other.keys.hash(i), other.sums[i]);
                distinct[id] += other.distinct[i];
            }
        }

        /** The domain, or the client's router, of id {@code i}. */
        String first(int i) {
            byte[] b = keys.keyBytes();
            if (!clientKeys) {
                return Bytes.decode(b, keys.keyOffset(i), keys.keyLength(i));
            }
            readClient(left, i);
            return Bytes.decode(b, left.routerOffset(), left.routerLength());
        }

        /** The client's address of id {@code i}; empty for a domain. */
        String second(int i) {
            if (!clientKeys) {
                return "";
            }
            readClient(left, i);
            return Bytes.decode(keys.keyBytes(), left.clientOffset(), left.clientLength());
        }

        private void readClient(PairBytes.Fields f, int i) {
            if (!f.readClient(keys.keyBytes(), keys.keyOffset(i), keys.keyLength(i))) {
                throw new IllegalStateException("not a client key: " + i); // checked as each name came in
            }
        }

        /** True when id {@code i} comes before id {@code j}: more queries, then by name (UTF-8 byte order). */
        private boolean before(int i, int j) {
            if (sums[i] != sums[j]) {
                return sums[i] > sums[j];
            }
            byte[] b = keys.keyBytes();
            if (!clientKeys) {
                int oi = keys.keyOffset(i);
                int oj = keys.keyOffset(j);
                return Arrays.compareUnsigned(b, oi, oi + keys.keyLength(i), b, oj, oj + keys.keyLength(j)) < 0;
            }
            readClient(left, i);
            readClient(right, j);
            int c = Arrays.compareUnsigned(
                    b,
                    left.routerOffset(),
                    left.routerOffset() + left.routerLength(),
                    b,
                    right.routerOffset(),
                    right.routerOffset() + right.routerLength());
            return c != 0
                    ? c < 0
                    : Arrays.compareUnsigned(
                                    b,
                                    left.clientOffset(),
                                    left.clientEnd(),
                                    b,
                                    right.clientOffset(),
                                    right.clientEnd())
                            < 0;
        }

        /** The ids of the {@code limit} first names in the order of {@link #before}, in that order. */
        int[] top(int limit) {
            int size = size();
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

        /** The ids in the order of their names' hashes (as signed ints), ids of equal hashes in their own order. */
        int[] hashOrder() {
            int n = size();
            int[] ids = new int[n];
            if (inHashOrder) {
                for (int i = 0; i < n; i++) {
                    ids[i] = i;
                }
            } else if (n < RADIX_FROM) {
                long[] byHash = new long[n];
                for (int i = 0; i < n; i++) {
                    byHash[i] = (long) keys.hash(i) << 32 | i;
                }
                Arrays.sort(byHash);
                for (int i = 0; i < n; i++) {
                    ids[i] = (int) byHash[i];
                }
            } else {
                // a radix sort, 16 bits at a time from the lowest (each pass keeps the order of the one before):
                // several times faster than a comparison sort of tens of thousands of names
                int[] lower = new int[n];
                int[] start = new int[1 << 16];
                for (int i = 0; i < n; i++) {
                    start[keys.hash(i) & 0xffff]++;
                }
                toStarts(start);
                for (int i = 0; i < n; i++) {
                    lower[start[keys.hash(i) & 0xffff]++] = i;
                }
                Arrays.fill(start, 0);
                for (int i = 0; i < n; i++) {
                    start[(keys.hash(i) >>> 16) ^ 0x8000]++; // the sign bit flipped: negative hashes first
                }
                toStarts(start);
                for (int id : lower) {
                    ids[start[(keys.hash(id) >>> 16) ^ 0x8000]++] = id;
                }
            }
            return ids;
        }

        /** Turns counts into the positions each value's run starts at. */
        private static void toStarts(int[] counts) {
            int at = 0;
            for (int v = 0; v < counts.length; v++) {
                int c = counts[v];
                counts[v] = at;
                at += c;
            }
        }

        /** Writes the names in the order of their hashes ({@link #hashOrder}), for the caller to merge. */
        void writeData(ObjectDataOutput out) throws IOException {
            int n = size();
            out.writeInt(n);
            byte[] b = keys.keyBytes();
            for (int i : hashOrder()) {
                out.writeInt(keys.keyLength(i));
                out.write(b, keys.keyOffset(i), keys.keyLength(i));
                out.writeLong(sums[i]);
                out.writeInt(distinct[i]);
            }
        }

        /** Room for {@code entries} names in all ({@code keyBytes} bytes of them): nothing grows while they come. */
        private void ensureCapacity(int entries, int keyBytes) {
            keys.ensureCapacity(entries, keyBytes);
            if (entries > sums.length) {
                grow(entries);
            }
        }

        /**
         * Reads the names another member wrote ({@link #writeData}) into an empty table, in their order, without
         * indexing them: the caller only merges them with others ({@link #merge}).
         */
        void readData(ObjectDataInput in) throws IOException {
            if (size() != 0) {
                throw new IllegalStateException("names are read into an empty table");
            }
            int n = PairAggregation.size(in);
            // room ahead only for as many names as a store holds: a count read off the wire is not trusted further
            grow(Math.max(sums.length, Math.min(n, PRESIZE_LIMIT)));
            byte[] name = new byte[64];
            int last = Integer.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                if (len < 0 || len > MAX_NAME) {
                    throw new IOException("name length out of range: " + len);
                }
                if (len > name.length) {
                    name = new byte[Math.max(len, name.length * 2)];
                }
                in.readFully(name, 0, len);
                if (clientKeys && !left.readClient(name, 0, len)) {
                    throw new IOException("not a client key");
                }
                int hash = Bytes.hash(Bytes.HASH_SEED, name, 0, len);
                if (hash < last) {
                    throw new IOException("names out of hash order");
                }
                last = hash;
                long sum = in.readLong();
                int d = in.readInt();
                if (d < 0) {
                    throw new IOException("distinct count out of range: " + d);
                }
                append(name, 0, len, hash, sum, d);
            }
            inHashOrder = true;
        }

        /** What {@link #merge} found: the names that may be among the first, and how many distinct names there were. */
        record Merged(Names candidates, int names) {}

        /**
         * Merges the names of several tables by name: a name's sums and its distinct counts add up (the tables hold
         * the counts of different shards). Each table is read in the order of its names' hashes ({@link #hashOrder},
         * the order a member sends them in), so that equal names meet without a table of all of them: a merge of
         * sorted runs, which reads each name once and keeps only those that may be among the {@code limit} first.
         */
        static Merged merge(List<Names> tables, int limit) {
            int m = tables.size();
            Names[] t = tables.toArray(new Names[0]);
            // each table's ids, and their hashes, in the order of the hashes: read front to back
            int[][] ids = new int[m][];
            int[][] hashes = new int[m][];
            int[] pos = new int[m];
            for (int i = 0; i < m; i++) {
                t[i].inOrder(ids, hashes, i);
            }
            long all = 0;
            for (Names n : t) {
                all += n.size();
            }
            int bound = (int) Math.min(limit, all); // no more can be first than there are
            Names candidates = new Names(Math.max(16, Math.min(bound, 1 << 12)), t[0].clientKeys);
            SumFloor floor = new SumFloor(bound);
            int names = 0;
            int[] runTable = new int[8];
            int[] runId = new int[8];
            while (true) {
                int least = -1;
                int hash = 0;
                for (int i = 0; i < m; i++) {
                    if (pos[i] < ids[i].length && (least < 0 || hashes[i][pos[i]] < hash)) {
                        hash = hashes[i][pos[i]];
                        least = i;
                    }
                }
                if (least < 0) {
                    break;
                }
                // every name of this hash, from every table
                int run = 0;
                for (int i = least; i < m; i++) {
                    int[] h = hashes[i];
                    for (int p = pos[i]; p < h.length && h[p] == hash; p = ++pos[i]) {
                        if (run == runId.length) {
                            runTable = Arrays.copyOf(runTable, run * 2);
                            runId = Arrays.copyOf(runId, run * 2);
                        }
                        runTable[run] = i;
                        runId[run++] = ids[i][p];
                    }
                }
                for (int i = 0; i < run; i++) {
                    if (runId[i] < 0) {
                        continue; // added to an equal name before it
                    }
                    Names a = t[runTable[i]];
                    int ai = runId[i];
                    long sum = a.sums[ai];
                    int d = a.distinct[ai];
                    for (int j = i + 1; j < run; j++) {
                        Names b = t[runTable[j]];
                        if (runId[j] >= 0 && a.sameName(ai, b, runId[j])) {
                            sum += b.sums[runId[j]];
                            d += b.distinct[runId[j]];
                            runId[j] = -1;
                        }
                    }
                    names++;
                    if (floor.admits(sum)) {
                        BytesTable k = a.keys;
                        candidates.append(k.keyBytes(), k.keyOffset(ai), k.keyLength(ai), hash, sum, d);
                    }
                }
            }
            return new Merged(candidates, names);
        }

        /**
         * Sets {@code ids[i]} to this table's ids in the order of their hashes ({@link #hashOrder}), and
         * {@code hashes[i]} to their hashes in that order.
         */
        private void inOrder(int[][] ids, int[][] hashes, int i) {
            int n = size();
            int[] order = hashOrder();
            int[] h = new int[n];
            for (int k = 0; k < n; k++) {
                h[k] = keys.hash(order[k]);
            }
            ids[i] = order;
            hashes[i] = h;
        }

        /**
         * Adds a name without looking for it ({@link BytesTable#append}), with its sum and distinct count: for names
         * known to be new here (read off the wire, or merged).
         */
        private void append(byte[] b, int off, int len, int hash, long sum, int d) {
            int id = keys.append(b, off, len, hash);
            if (id >= sums.length) {
                grow(Math.max(sums.length * 2, id + 1));
            }
            sums[id] = sum;
            distinct[id] = d;
        }

        private boolean sameName(int i, Names other, int j) {
            int oi = keys.keyOffset(i);
            int oj = other.keys.keyOffset(j);
            int li = keys.keyLength(i);
            return li == other.keys.keyLength(j)
                    && Arrays.equals(keys.keyBytes(), oi, oi + li, other.keys.keyBytes(), oj, oj + li);
        }
    }

    /**
     * The {@code limit} largest sums seen so far, as a heap whose root is the least of them: a sum below the root
     * cannot be among the first {@code limit} (one equal to it can, by name).
     */
    static final class SumFloor {
        private final long[] heap;
        private int size;

        SumFloor(int limit) {
            heap = new long[limit];
        }

        /** Whether {@code sum} may be among the first; it is counted among the largest if so. */
        boolean admits(long sum) {
            if (heap.length == 0) {
                return false;
            }
            if (size < heap.length) {
                int i = size++;
                heap[i] = sum;
                while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
                    long t = heap[(i - 1) / 2];
                    heap[(i - 1) / 2] = heap[i];
                    heap[i] = t;
                    i = (i - 1) / 2;
                }
                return true;
            }
            if (sum < heap[0]) {
                return false;
            }
            heap[0] = sum;
            for (int i = 0; ; ) {
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int least = l + 1 < size && heap[l + 1] < heap[l] ? l + 1 : l;
                if (heap[i] <= heap[least]) {
                    break;
                }
                long t = heap[i];
                heap[i] = heap[least];
                heap[least] = t;
                i = least;
            }
            return true;
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
                resize(table.length * 2);
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

        /** Removes every value, keeping the table's size. */
        void clear() {
            Arrays.fill(table, EMPTY);
            size = 0;
        }

        /** Moves the values to a table of {@code capacity} slots (a power of two, more than twice their number). */
        private void resize(int capacity) {
            long[] old = table;
            table = new long[capacity];
            Arrays.fill(table, EMPTY);
            size = 0;
            for (long o : old) {
                if (o != EMPTY) {
                    add(o);
                }
            }
        }

        private static long mixLong(long v) {
            long x = v * 0x9E3779B97F4A7C15L;
            return x ^ (x >>> 29);
        }
    }
}
