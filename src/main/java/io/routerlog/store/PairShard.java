package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.routerlog.bytes.Bytes;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.UUID;

/**
 * The counters of one partition of a pair map, packed: the keys ({@link PairBytes}) one after another in one byte array, and
 * per entry its key's place, hash, last update (epoch seconds) and one count per member that counted into it, found
 * through an open-addressing index. A pair costs about 100 bytes here, against about 330 as a Hazelcast entry of its
 * own (key, record, expiry metadata, hash entry and a {@link MemberCounts}), and a scan reads arrays instead of
 * Hazelcast's per-entry records with their lock and expiry checks.
 *
 * <p>It keeps its own bound and retention: an update that brings new keys into a full shard first removes the entries
 * that an update of this shard touched longest ago (those of one update by key hash, so that every copy removes the
 * same ones), and entries not updated within the retention are skipped by reads and removed by the next update or
 * sweep. Each member's contribution
 * is its own column, and the shard remembers each member's last flush: a retried flush is applied once, and two
 * diverged copies merge exactly by taking each member's larger count ({@link #mergeMax}).
 *
 * <p>Updates run on the partition's thread (the entry processor, the merge, the backup copy); reads may run on any
 * thread. Every method that touches the arrays holds the shard's lock, which an update holds for the length of one
 * flush's batch for this partition, and a read for one scan of at most a bound of entries.
 */
public final class PairShard implements IdentifiedDataSerializable {
    private static final int NONE = -1;
    /** Columns a shard keeps even when their member has no count left in it. */
    private static final int COLUMNS_KEPT = 4;

    // members: column c holds the contribution of members[c], whose last applied flush is flushes[c]
    private UUID[] members = new UUID[0];
    private long[] flushes = new long[0];

    // entries 0..size-1
    private int size;
    private byte[] keys = new byte[0];
    private int keysUsed;
    private int[] keyStart = new int[0];
    private int[] keyLength = new int[0];
    private int[] hashes = new int[0];
    private int[] updated = new int[0];
    /** The update (of this shard's, counting up) that last touched each entry: the order of eviction. */
    private int[] touched = new int[0];
    /** Row-major: entry e, column c at {@code e * members.length + c}. */
    private long[] counts = new long[0];
    /** Entry + 1 per slot, 0 when free; a power of two at least twice the entries. */
    private int[] index = new int[8];

    private int updates;
    /** At most the oldest {@link #updated} of any entry (exact after a removal): whether to look for expired ones. */
    private int oldest = Integer.MAX_VALUE;

    private int bound = Integer.MAX_VALUE;
    private int retentionSeconds = Integer.MAX_VALUE;
    private long evicted;
    private long expired;
    /** For sorting at eviction, one per partition thread (not per shard: every shard would keep one). */
    private static final ThreadLocal<long[][]> SCRATCH = ThreadLocal.withInitial(() -> new long[][] {new long[0]});

    /** The keys ({@link PairBytes}) of an update and their deltas. */
    interface Deltas {
        void forEach(Each each);

        /** One key (a range of {@code b}), its {@link PairBytes#hash} and its delta. */
        interface Each {
            void accept(byte[] b, int off, int len, int hash, long delta);
        }
    }

    /** Reads one entry: its key (a range of {@code keys}) and its total count. */
    interface Visitor {
        void accept(byte[] keys, int offset, int length, long total);
    }

    // ---- updates (the partition's thread) ----

    /**
     * Adds one member's deltas of one flush, unless that flush was applied already. Makes room for new keys by
     * removing the least recently updated entries beyond {@code bound}, and removes entries older than the retention.
     *
     * @param now epoch seconds of the writer, so that every copy applies the same update
     * @return false when the flush had been applied before (a retry)
     */
    synchronized boolean add(UUID member, long flush, int now, int bound, int retentionSeconds, Deltas deltas) {
        int column = column(member);
        if (flushes[column] >= flush) {
            return false;
        }
        flushes[column] = flush;
        this.bound = Math.max(1, bound);
        this.retentionSeconds = Math.max(1, retentionSeconds);
        expire(now);
        int update = ++updates;
        // the keys already here first, then room for the new ones, then the new ones: a full shard then never holds
        // more than its bound, where adding first grew its arrays by a whole flush of new keys under a flood
        BitSet absent = new BitSet(); // by each key's place in the deltas
        long[] absentBytes = new long[1];
        int[] at = new int[1];
        deltas.forEach((key, off, len, h, delta) -> {
            int i = at[0]++;
            int e = find(key, off, len, h);
            if (e == NONE) {
                absent.set(i);
                absentBytes[0] += len;
            } else {
                count(e, column, now, update, delta);
            }
        });
        int newKeys = absent.cardinality();
        if (newKeys > 0) {
            int target = Math.max(0, this.bound - newKeys);
            if (size > target) {
                // the entries this update touched go last, and only when the new keys alone fill the bound
                evictDownTo(target, size);
            }
            int before = size;
            reserve(before + newKeys, keysUsed + absentBytes[0]);
            at[0] = 0;
            deltas.forEach((key, off, len, h, delta) -> {
                if (!absent.get(at[0]++)) {
                    return; // counted above
                }
                int e = find(key, off, len, h); // found only when the deltas hold the key twice
                if (e == NONE) {
                    e = append(key, off, len, h, now);
                }
                count(e, column, now, update, delta);
            });
            if (size > this.bound) {
                // more new keys than the bound: of them, those with the lowest hashes go
                evictDownTo(this.bound, before);
            }
        }
        dropIdleColumns(column);
        return true;
    }

    private void count(int e, int column, int now, int update, long delta) {
        counts[e * members.length + column] += delta;
        updated[e] = now;
        touched[e] = update;
    }

    /**
     * Makes room for {@code entries} entries and {@code keyBytes} bytes of keys: growing towards the bound by half
     * again at most, never past the bound, and a little beyond the bytes asked for.
     */
    private void reserve(int entries, long keyBytes) {
        if (entries > keyStart.length) {
            int step = keyStart.length + (keyStart.length >> 1) + 8;
            resizeEntries(Math.max(entries, Math.min(step, bound)));
        }
        if (keyBytes > keys.length) {
            long room = keyBytes + (keyBytes >> 3) + 256;
            if (room > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a shard's keys would take more than 2 GiB: " + keyBytes);
            }
            keys = Arrays.copyOf(keys, (int) room);
        }
    }

    /** Removes what the retention no longer keeps, and counts it. */
    synchronized void sweep(int now, int retentionSeconds) {
        this.retentionSeconds = Math.max(1, retentionSeconds);
        expire(now);
        dropIdleColumns(NONE);
    }

    /**
     * Takes in another copy of the same partition (split brain): each member's larger count per key, the later update,
     * each member's later flush; then the bound again.
     */
    synchronized PairShard mergeMax(PairShard other) {
        PairShard o = other.copy();
        int[] columnOf = new int[o.members.length];
        for (int c = 0; c < o.members.length; c++) {
            columnOf[c] = column(o.members[c]);
            flushes[columnOf[c]] = Math.max(flushes[columnOf[c]], o.flushes[c]);
        }
        for (int oe = 0; oe < o.size; oe++) {
            int h = o.hashes[oe];
            int e = find(o.keys, o.keyStart[oe], o.keyLength[oe], h);
            if (e == NONE) {
                e = append(o.keys, o.keyStart[oe], o.keyLength[oe], h, o.updated[oe]);
                touched[e] = 0;
            }
            for (int c = 0; c < o.members.length; c++) {
                int at = e * members.length + columnOf[c];
                counts[at] = Math.max(counts[at], o.counts[oe * o.members.length + c]);
            }
            updated[e] = Math.max(updated[e], o.updated[oe]);
            touched[e] = Math.max(touched[e], o.touched[oe]);
        }
        updates = Math.max(updates, o.updates);
        bound = Math.min(bound, o.bound);
        retentionSeconds = Math.min(retentionSeconds, o.retentionSeconds);
        evicted = Math.max(evicted, o.evicted);
        expired = Math.max(expired, o.expired);
        if (size > bound) {
            // no pair of a merge is new: both sides' pairs rank by the update that last touched them
            evictDownTo(bound, size);
        }
        return this;
    }

    /**
     * Forgets the members that have no count left here (their pairs were all removed), once there are more than
     * {@link #COLUMNS_KEPT}: each member that restarts in a cluster whose data outlives it comes back under a new
     * identity, and its old column would otherwise stay for good. Never the column of {@code keep}, the member
     * that just wrote (its last flush must stay known, for retries).
     */
    private void dropIdleColumns(int keep) {
        int m = members.length;
        if (m <= COLUMNS_KEPT) {
            return;
        }
        boolean[] idle = new boolean[m];
        int dropped = 0;
        for (int c = 0; c < m; c++) {
            boolean none = c != keep;
            for (int e = 0; e < size && none; e++) {
                none = counts[e * m + c] == 0;
            }
            idle[c] = none;
            if (none) {
                dropped++;
            }
        }
        if (dropped == 0) {
            return;
        }
        int n = m - dropped;
        UUID[] keptMembers = new UUID[n];
        long[] keptFlushes = new long[n];
        long[] keptCounts = new long[Math.max(keyStart.length, 1) * n];
        for (int c = 0, k = 0; c < m; c++) {
            if (idle[c]) {
                continue;
            }
            keptMembers[k] = members[c];
            keptFlushes[k] = flushes[c];
            for (int e = 0; e < size; e++) {
                keptCounts[e * n + k] = counts[e * m + c];
            }
            k++;
        }
        members = keptMembers;
        flushes = keptFlushes;
        counts = keptCounts;
    }

    /** Entries the per-entry arrays have room for, and bytes of keys (for tests). */
    synchronized long[] room() {
        return new long[] {keyStart.length, keys.length};
    }

    /** Whether {@code member} has a column here (for tests). */
    synchronized boolean knows(UUID member) {
        for (UUID m : members) {
            if (m.equals(member)) {
                return true;
            }
        }
        return false;
    }

    private int column(UUID member) {
        for (int c = 0; c < members.length; c++) {
            if (members[c].equals(member)) {
                return c;
            }
        }
        int old = members.length;
        int now = old + 1;
        members = Arrays.copyOf(members, now);
        members[old] = member;
        flushes = Arrays.copyOf(flushes, now);
        long[] wider = new long[Math.max(keyStart.length, 1) * now];
        for (int e = 0; e < size; e++) {
            System.arraycopy(counts, e * old, wider, e * now, old);
        }
        counts = wider;
        return old;
    }

    private int append(byte[] key, int off, int len, int h, int now) {
        if (size == keyStart.length) {
            resizeEntries(Math.max(8, size + (size >> 1)));
        }
        if (keysUsed + len > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(keysUsed + len, keys.length + (keys.length >> 1) + 256));
        }
        System.arraycopy(key, off, keys, keysUsed, len);
        int e = size++;
        keyStart[e] = keysUsed;
        keyLength[e] = len;
        hashes[e] = h;
        updated[e] = now;
        touched[e] = updates;
        oldest = Math.min(oldest, now);
        Arrays.fill(counts, e * members.length, (e + 1) * members.length, 0);
        keysUsed += len;
        if (2 * size > index.length) {
            rebuildIndex(index.length * 2);
        } else {
            index[slot(h)] = e + 1;
        }
        return e;
    }

    private void expire(int now) {
        int limit = now - retentionSeconds;
        if (oldest >= limit) {
            return;
        }
        int kept = 0;
        long removed = 0;
        for (int e = 0; e < size; e++) {
            if (updated[e] >= limit) {
                move(e, kept++);
            } else {
                removed++;
            }
        }
        finishRemoval(kept);
        expired += removed;
    }

    /** Whether some entry may have outlived the retention as of {@code now} (then {@link #sweep} removes it). */
    synchronized boolean mayExpire(int now) {
        return oldest < now - retentionSeconds;
    }

    /**
     * Removes the least recently updated entries until {@code target} remain: by the update of this shard that last
     * touched them, then by key hash, so that every copy of the shard removes the same entries whatever order they
     * were added in. Entries from
     * {@code firstNew} on were added by this update; they go only when they alone are more than the bound.
     */
    private void evictDownTo(int target, int firstNew) {
        int excess = size - target;
        long[][] holder = SCRATCH.get();
        long[] scratch = holder[0];
        if (scratch.length < size) {
            scratch = new long[Math.max(size, scratch.length * 2)];
            holder[0] = scratch;
        }
        for (int e = 0; e < size; e++) {
            scratch[e] = order(e, firstNew);
        }
        Arrays.sort(scratch, 0, size);
        long threshold = scratch[excess - 1];
        int atThreshold = 0; // of the entries equal to the threshold, how many go
        for (int i = excess - 1; i >= 0 && scratch[i] == threshold; i--) {
            atThreshold++;
        }
        int kept = 0;
        for (int e = 0; e < size; e++) {
            long o = order(e, firstNew);
            boolean goes = o < threshold || (o == threshold && atThreshold-- > 0);
            if (!goes) {
                move(e, kept++);
            }
        }
        finishRemoval(kept);
        evicted += excess;
    }

    /** Eviction order: last update (entries of this update last), then hash; non-negative, so signed order. */
    private long order(int e, int firstNew) {
        long age = e >= firstNew ? Integer.MAX_VALUE : Math.max(0, touched[e]);
        return age << 32 | (hashes[e] & 0xffffffffL);
    }

    /** Moves entry {@code from} down to {@code to} (to <= from), its key bytes included. */
    private void move(int from, int to) {
        int len = keyLength[from];
        int start = to == 0 ? 0 : keyStart[to - 1] + keyLength[to - 1];
        if (from != to || keyStart[from] != start) {
            System.arraycopy(keys, keyStart[from], keys, start, len);
            int m = members.length;
            System.arraycopy(counts, from * m, counts, to * m, m);
            keyStart[to] = start;
            keyLength[to] = len;
            hashes[to] = hashes[from];
            updated[to] = updated[from];
            touched[to] = touched[from];
        }
    }

    private void finishRemoval(int kept) {
        size = kept;
        int min = Integer.MAX_VALUE;
        for (int e = 0; e < kept; e++) {
            min = Math.min(min, updated[e]);
        }
        oldest = min;
        keysUsed = kept == 0 ? 0 : keyStart[kept - 1] + keyLength[kept - 1];
        trim();
        int capacity = 8;
        while (capacity < 2 * size) {
            capacity *= 2;
        }
        rebuildIndex(Math.max(capacity, Math.min(index.length, 4 * capacity)));
    }

    /**
     * Gives back what an update's new keys grew the arrays to, beyond half again what is left: a flood of new pairs
     * fills a shard far past its bound before the eviction, and every shard would keep that room for good.
     */
    private void trim() {
        if (keys.length > 2 * keysUsed + 1024) {
            keys = Arrays.copyOf(keys, keysUsed + (keysUsed >> 1) + 256);
        }
        if (keyStart.length > 2 * size + 16) {
            resizeEntries(size + (size >> 1) + 8);
        }
    }

    /** Makes room for {@code n} entries in the per-entry arrays (at least {@link #size}). */
    private void resizeEntries(int n) {
        keyStart = Arrays.copyOf(keyStart, n);
        keyLength = Arrays.copyOf(keyLength, n);
        hashes = Arrays.copyOf(hashes, n);
        updated = Arrays.copyOf(updated, n);
        touched = Arrays.copyOf(touched, n);
        counts = Arrays.copyOf(counts, n * members.length);
    }

    private void rebuildIndex(int capacity) {
        if (index.length == capacity) {
            Arrays.fill(index, 0);
        } else {
            index = new int[capacity];
        }
        for (int e = 0; e < size; e++) {
            index[slot(hashes[e])] = e + 1;
        }
    }

    // ---- look-ups ----

    private int find(byte[] key, int off, int len, int h) {
        int mask = index.length - 1;
        for (int i = Bytes.mix(h) & mask; ; i = (i + 1) & mask) {
            int e = index[i] - 1;
            if (e < 0) {
                return NONE;
            }
            if (hashes[e] == h && Bytes.equals(keys, keyStart[e], keyLength[e], key, off, len)) {
                return e;
            }
        }
    }

    /** The free slot for a key not in the index. */
    private int slot(int h) {
        int mask = index.length - 1;
        int i = Bytes.mix(h) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
    }

    // ---- reads (any thread) ----

    /** Calls {@code visitor} with every entry updated within the retention as of {@code now} (epoch seconds). */
    synchronized void forEach(int now, Visitor visitor) {
        int oldest = now - retentionSeconds;
        int m = members.length;
        for (int e = 0; e < size; e++) {
            if (updated[e] < oldest) {
                continue;
            }
            long total = 0;
            for (int c = e * m, end = c + m; c < end; c++) {
                total += counts[c];
            }
            visitor.accept(keys, keyStart[e], keyLength[e], total);
        }
    }

    /** At least the bytes {@link PackedCounters} takes for this shard's entries: per entry a label count, the
     * key's bytes (its label lengths and values), and a count. */
    synchronized long packedBound() {
        return keysUsed + 17L * size;
    }

    /** The total of one key (0 when absent or expired as of {@code now}). */
    synchronized long get(byte[] key, int now) {
        int e = find(key, 0, key.length, PairBytes.hash(key, 0, key.length));
        if (e == NONE || updated[e] < now - retentionSeconds) {
            return 0;
        }
        long total = 0;
        for (int c = 0; c < members.length; c++) {
            total += counts[e * members.length + c];
        }
        return total;
    }

    /** Entries updated within the retention as of {@code now}. */
    synchronized int size(int now) {
        int oldest = now - retentionSeconds;
        int n = 0;
        for (int e = 0; e < size; e++) {
            if (updated[e] >= oldest) {
                n++;
            }
        }
        return n;
    }

    /** Entries removed to keep the bound, over the shard's life (it moves with the partition). */
    synchronized long evicted() {
        return evicted;
    }

    /** Entries removed because the retention ran out, over the shard's life. */
    synchronized long expired() {
        return expired;
    }

    synchronized PairShard copy() {
        PairShard c = new PairShard();
        c.members = members.clone();
        c.flushes = flushes.clone();
        c.size = size;
        c.keys = Arrays.copyOf(keys, keysUsed);
        c.keysUsed = keysUsed;
        c.keyStart = Arrays.copyOf(keyStart, size);
        c.keyLength = Arrays.copyOf(keyLength, size);
        c.hashes = Arrays.copyOf(hashes, size);
        c.updated = Arrays.copyOf(updated, size);
        c.touched = Arrays.copyOf(touched, size);
        c.updates = updates;
        c.oldest = oldest;
        c.counts = Arrays.copyOf(counts, size * members.length);
        c.index = index.clone();
        c.bound = bound;
        c.retentionSeconds = retentionSeconds;
        c.evicted = evicted;
        c.expired = expired;
        return c;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PAIR_SHARD;
    }

    @Override
    public synchronized void writeData(ObjectDataOutput out) throws IOException {
        int m = members.length;
        out.writeInt(m);
        for (int c = 0; c < m; c++) {
            out.writeLong(members[c].getMostSignificantBits());
            out.writeLong(members[c].getLeastSignificantBits());
            out.writeLong(flushes[c]);
        }
        out.writeInt(bound);
        out.writeInt(retentionSeconds);
        out.writeInt(updates);
        out.writeLong(evicted);
        out.writeLong(expired);
        out.writeInt(size);
        out.writeInt(keysUsed);
        out.write(keys, 0, keysUsed);
        for (int e = 0; e < size; e++) {
            out.writeInt(keyLength[e]);
            out.writeInt(updated[e]);
            out.writeInt(touched[e]);
            for (int c = 0; c < m; c++) {
                out.writeLong(counts[e * m + c]);
            }
        }
    }

    @Override
    public synchronized void readData(ObjectDataInput in) throws IOException {
        int m = in.readInt();
        if (m < 0 || m > 1 << 16) {
            throw new IOException("a pair shard with " + m + " members");
        }
        members = new UUID[m];
        flushes = new long[m];
        for (int c = 0; c < m; c++) {
            members[c] = new UUID(in.readLong(), in.readLong());
            flushes[c] = in.readLong();
        }
        bound = in.readInt();
        retentionSeconds = in.readInt();
        updates = in.readInt();
        evicted = in.readLong();
        expired = in.readLong();
        int n = in.readInt();
        int used = in.readInt();
        if (n < 0 || used < 0) {
            throw new IOException("a pair shard of " + n + " entries and " + used + " bytes");
        }
        keys = new byte[used];
        in.readFully(keys);
        keysUsed = used;
        size = n;
        keyStart = new int[n];
        keyLength = new int[n];
        hashes = new int[n];
        updated = new int[n];
        touched = new int[n];
        counts = new long[n * m];
        oldest = Integer.MAX_VALUE;
        int at = 0;
        for (int e = 0; e < n; e++) {
            int len = in.readInt();
            if (len < 0 || at + len > used) {
                throw new IOException("a pair shard key beyond its bytes");
            }
            keyStart[e] = at;
            keyLength[e] = len;
            hashes[e] = PairBytes.hash(keys, at, len);
            at += len;
            updated[e] = in.readInt();
            oldest = Math.min(oldest, updated[e]);
            touched[e] = in.readInt();
            for (int c = 0; c < m; c++) {
                counts[e * m + c] = in.readLong();
            }
        }
        int capacity = 8;
        while (capacity < 2 * n) {
            capacity *= 2;
        }
        index = new int[capacity];
        rebuildIndex(capacity);
    }

    @Override
    public synchronized String toString() {
        return "PairShard{" + size + " entries, " + members.length + " members, " + keysUsed + " key bytes}";
    }
}
