package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.PairBytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Query counts of one receive thread between two flushes, keyed by the pair's stored key ({@link PairBytes}: router,
 * client, domain, qtype), built straight from the parsed bytes. Counting a pair that is already here allocates
 * nothing, and no object is made per pair.
 *
 * <p>A drain keeps the keys it counted more than once since the drain before and forgets the others, so that a
 * steady working set is not built again at every flush, while a flood's names, each seen once, leave at the next
 * drain. The table asks for an early drain ({@link #wantsDrain}) when it is nearly full or when {@code newPairs} keys
 * not seen lately ({@link RecentKeys}) were added since the last drain: a working set that recurs, as large as half
 * the table, is drained once per interval however busy it is, while a flood of new pairs is drained, and held, as a
 * table of {@code newPairs} would be.
 *
 * <p>Laid out for the fewest cache misses per count, since a network's tens of thousands of pairs do not fit in a
 * core's cache and every query and reply line counts one: a bucket is one long holding the key's hash and where its
 * entry starts, and an entry holds its count, hash and length next to its key's bytes, so counting a known pair reads
 * one bucket and one entry, besides the entry's page in the small array of pages that stays in cache (a table with
 * separate arrays for entry starts and counts read four places).
 *
 * <p>The entries lie in pages of {@value #PAGE} bytes that are added as the table grows and kept after a drain, never
 * copied into a larger array: a table that grows to a receive thread's working set minutes after the start (a rate
 * that rises, say) leaves no garbage behind in the old generation, where only a full collection, a stop of tens of
 * milliseconds, would take it back, and the receive thread copies no megabytes while it grows.
 *
 * <p>A query's outcome lines (forwarded, answered, cached...) follow it, so the query table counts them in the
 * entry of the query they follow ({@link #addOutcome}), without a look-up of their own, and hands them on, keyed as
 * the outcome table keys them, as the batch is drained ({@link #drainTo(Sink, Sink)}); an outcome line that follows
 * no query of its name is counted in the outcome table.
 *
 * <p>Not thread-safe; {@link LocalAggregator} guards it.
 */
final class PairCounts {
    /** Takes the counts as a batch is drained. */
    interface Sink {
        /** A pair's key (a range of {@code b}, valid during the call), its {@link PairBytes#hash} and its count. */
        void pair(byte[] b, int off, int len, int hash, long count);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * An entry: its count (8 bytes), its key's hash (4), its key's length (4), four outcome slots (4 each, see {@link
     * #addOutcome}), then the key.
     */
    private static final int HASH = 8;

    private static final int LENGTH = 12;
    private static final int SLOTS = 16;
    private static final int KEY = 32;

    /** An outcome slot: the outcome's ordinal + 1 in its top four bits (0: empty), its count below them. */
    private static final int SLOT_TAG_SHIFT = 28;

    private static final int SLOT_COUNT_MASK = (1 << SLOT_TAG_SHIFT) - 1;
    private static final ReplyOutcome[] OUTCOMES = ReplyOutcome.values();

    /** For a table whose entries never hold outcomes (the outcome table itself). */
    private static final Sink NO_OUTCOMES = (b, off, len, hash, count) -> {
        throw new IllegalStateException("an outcome in a table that counts none with its queries");
    };

    /** Bytes of a page; a longer entry gets a page of its own size. */
    static final int PAGE = 1 << 16;

    /** An entry's place: its page's number above these bits, its offset in the page below them. */
    private static final int OFFSET_BITS = 16;

    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;

    /** Pages a place can name (its number + 1 is a positive int). */
    private static final int MAX_PAGES = 1 << (31 - OFFSET_BITS);

    private final int capacity;
    /** Keys from which an early drain is wanted: a tenth, or a thousand, before the table is full. */
    private final int nearlyFull;
    /** New keys since the last drain from which an early drain is wanted. */
    private final int newPairs;
    /** hash << 32 | (entry's place + 1), 0 = empty; at most half full. */
    private long[] buckets;

    /** The pages, those past {@link #page} empty and kept for reuse; entries fill them in order. */
    private byte[][] pages;
    /** Bytes in use of each page before {@link #page}. */
    private int[] ends = new int[1];
    /** The page that takes the next entry, at {@link #used}. */
    private int page;
    /** Bytes of the current page in use. */
    private int used;

    private int size;
    /** Keys added since the last drain. */
    private int added;
    /** Of those, the keys not taken lately ({@link RecentKeys}): the new pairs that ask for an early drain. */
    private int fresh;
    /** The place of the entry counted last, -1 when none (or the entries moved since). */
    private int last = -1;

    /** Keys taken lately, by this table or the other tables of the same receive thread. */
    private final RecentKeys recent;

    private final PairBytes.Builder builder = new PairBytes.Builder();
    /** Reads a key's fields as the drain hands its outcomes on. */
    private final PairBytes.Fields fields = new PairBytes.Fields();

    /**
     * @param capacity the most keys held
     * @param newPairs new keys since the last drain from which an early drain is wanted (at most the capacity)
     */
    PairCounts(int capacity, int newPairs) {
        this(capacity, newPairs, new RecentKeys(RecentKeys.SLOTS));
    }

    /**
     * @param capacity the most keys held
     * @param newPairs new keys since the last drain from which an early drain is wanted (at most the capacity)
     * @param recent the keys taken lately, shared with the other tables of the receive thread: a key that comes back
     *     after a drain forgot it is not a new one
     */
    PairCounts(int capacity, int newPairs, RecentKeys recent) {
        this.recent = recent;
        this.capacity = capacity;
        this.nearlyFull = capacity - Math.min(1000, capacity / 10);
        this.newPairs = Math.min(nearlyFull, newPairs);
        int initial = Math.min(capacity, 1024);
        this.buckets = new long[Integer.highestOneBit(Math.max(8, initial) * 2 - 1) << 1];
        this.pages = new byte[][] {new byte[PAGE]};
    }

    /** Counts one query; false (and nothing counted) when the pair is new and the table is full. */
    boolean add(DnsQuery q) {
        int n = build(q, true); // first: a longer key replaces the builder's buffer
        return add(builder.bytes(), n);
    }

    /** Builds {@code q}'s key in {@link #builder}, with or without its type; returns its length. */
    private int build(DnsQuery q, boolean withType) {
        byte[] b = q.buf();
        return builder.build(
                q.routerBuf(),
                q.routerOffset(),
                q.routerLength(),
                b,
                q.clientOffset(),
                q.clientLength(),
                b,
                q.domainOffset(),
                q.domainLength(),
                b,
                q.qtypeOffset(),
                withType ? q.qtypeLength() : 0);
    }

    /**
     * Counts an outcome line in the entry counted last, when that entry is a query of the same router, client and
     * name ({@code about}'s, its type left out): a query's outcome lines follow it, and so cost no look-up of their
     * own. An entry has four slots, each for one outcome (a pair asked again and again sees forwarded, answered and
     * cached, say); the drain hands their counts on with the outcome's key. False (nothing counted) when
     * the last entry is of another name, or its slots hold four other outcomes: then the caller counts it in the
     * outcome table.
     */
    boolean addOutcome(DnsQuery about, ReplyOutcome outcome) {
        int place = last;
        if (place < 0) {
            return false;
        }
        int n = build(about, false);
        byte[] e = pages[place >>> OFFSET_BITS];
        int at = place & OFFSET_MASK;
        // the key without its type is a prefix of the entry's: its fields carry their lengths, so a prefix is the
        // same router, client and name
        if ((int) INTS.get(e, at + LENGTH) < n || !Arrays.equals(e, at + KEY, at + KEY + n, builder.bytes(), 0, n)) {
            return false;
        }
        int tag = (outcome.ordinal() + 1) << SLOT_TAG_SHIFT;
        for (int slot = at + SLOTS; slot < at + KEY; slot += Integer.BYTES) {
            int v = (int) INTS.get(e, slot);
            if (v == 0) {
                INTS.set(e, slot, tag | 1);
                return true;
            }
            if ((v & ~SLOT_COUNT_MASK) == tag) {
                if ((v & SLOT_COUNT_MASK) == SLOT_COUNT_MASK) {
                    return false; // (hundreds of millions in one batch)
                }
                INTS.set(e, slot, v + 1);
                return true;
            }
        }
        return false;
    }

    /** Hands the outcomes in the slots of the entry at {@code at} of {@code e} to {@code outcomes} and empties them. */
    private void drainOutcomes(byte[] e, int at, Sink outcomes) {
        if (!fields.read(e, at + KEY, (int) INTS.get(e, at + LENGTH))) {
            throw new IllegalStateException("not a pair's key"); // (the table builds every key itself)
        }
        int prefix = fields.qtypeOffset() - (at + KEY);
        for (int slot = at + SLOTS; slot < at + KEY; slot += Integer.BYTES) {
            int v = (int) INTS.get(e, slot);
            if (v != 0) {
                INTS.set(e, slot, 0);
                ReplyOutcome o = OUTCOMES[(v >>> SLOT_TAG_SHIFT) - 1];
                byte[] key = builder.room(prefix + o.labelLength());
                System.arraycopy(e, at + KEY, key, 0, prefix);
                int n = o.copyLabel(key, prefix);
                outcomes.pair(key, 0, n, PairBytes.hash(key, 0, n), v & SLOT_COUNT_MASK);
            }
        }
    }

    /** Counts the key {@code s[0, n)} once; false (nothing counted) when it is new and the table is full. */
    private boolean add(byte[] s, int n) {
        int h = PairBytes.hash(s, 0, n);
        long[] t = buckets;
        int mask = t.length - 1;
        int i = Bytes.mix(h) & mask;
        for (; ; i = (i + 1) & mask) {
            long slot = t[i];
            if (slot == 0) {
                break;
            }
            if ((int) (slot >>> 32) == h) {
                int place = (int) slot - 1;
                byte[] e = pages[place >>> OFFSET_BITS];
                int at = place & OFFSET_MASK;
                if ((int) INTS.get(e, at + LENGTH) == n && Arrays.equals(e, at + KEY, at + KEY + n, s, 0, n)) {
                    LONGS.set(e, at, (long) LONGS.get(e, at) + 1);
                    last = place;
                    return true;
                }
            }
        }
        int length = KEY + n;
        boolean fits = fits(pages[page], used, length);
        if (size >= capacity || (!fits && page + 1 == MAX_PAGES)) {
            return false; // (the second only for keys of tens of kilobytes)
        }
        if (!fits) {
            nextPage(length);
        }
        byte[] e = pages[page];
        int at = used;
        LONGS.set(e, at, 1L);
        INTS.set(e, at + HASH, h);
        INTS.set(e, at + LENGTH, n);
        LONGS.set(e, at + SLOTS, 0L);
        LONGS.set(e, at + SLOTS + Long.BYTES, 0L);
        System.arraycopy(s, 0, e, at + KEY, n);
        used = at + length;
        size++;
        added++;
        if (recent.firstSeen(h)) {
            fresh++;
        }
        t[i] = slot(h, page, at);
        last = (page << OFFSET_BITS) | at;
        if (size * 2 > t.length) {
            buckets = BytesTable.rehash(t, t.length * 2);
        }
        return true;
    }

    /**
     * Hands every non-zero count to {@code sink} and zeroes it, and forgets the keys counted at most once since the
     * drain before.
     */
    void drainTo(Sink sink) {
        drainTo(sink, NO_OUTCOMES);
    }

    /**
     * Like {@link #drainTo(Sink)}, and hands each outcome counted with its query ({@link #addOutcome}) to {@code
     * outcomes}, under the key the outcome table counts it by (router, client, name and the outcome's label, valid
     * during the call), before the query's own count. An outcome counted in several entries (the same name asked
     * with several types) is handed on once for each.
     */
    void drainTo(Sink sink, Sink outcomes) {
        int toPage = 0;
        int to = 0;
        int kept = 0;
        for (int p = 0; p <= page; p++) {
            byte[] e = pages[p];
            for (int at = 0, end = end(p); at < end; ) {
                int n = (int) INTS.get(e, at + LENGTH);
                long c = (long) LONGS.get(e, at);
                int length = KEY + n;
                if ((long) LONGS.get(e, at + SLOTS) != 0 || (long) LONGS.get(e, at + SLOTS + Long.BYTES) != 0) {
                    drainOutcomes(e, at, outcomes);
                }
                if (c != 0) {
                    sink.pair(e, at + KEY, n, (int) INTS.get(e, at + HASH), c);
                    LONGS.set(e, at, 0L);
                    if (c > 1) {
                        // the place it moves to is never after its own: on its own page at the latest
                        while (!fits(pages[toPage], to, length)) {
                            ends[toPage++] = to;
                            to = 0;
                        }
                        if (toPage != p || to != at) {
                            System.arraycopy(e, at, pages[toPage], to, length);
                        }
                        to += length;
                        kept++;
                    }
                }
                at += length;
            }
        }
        added = 0;
        fresh = 0;
        last = -1;
        if (kept != size) {
            page = toPage;
            used = to;
            size = kept;
            reindex();
        }
    }

    /** Where the entries of page {@code p} end. */
    private int end(int p) {
        return p == page ? used : ends[p];
    }

    /** A bucket for the entry with {@code hash} at offset {@code at} of page {@code p}. */
    private static long slot(int hash, int p, int at) {
        return ((long) hash << 32) | (((long) p << OFFSET_BITS | at) + 1L);
    }

    /** Whether an entry of {@code length} bytes can start at {@code at} of {@code e}. */
    private static boolean fits(byte[] e, int at, int length) {
        return at + length <= e.length && at <= OFFSET_MASK;
    }

    /** Moves on to the next page, one kept from before if it is large enough for the entry, else a new one. */
    private void nextPage(int length) {
        ends[page] = used;
        int next = page + 1;
        if (next == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
            ends = Arrays.copyOf(ends, pages.length);
        }
        byte[] e = pages[next];
        if (e == null || e.length < length) {
            pages[next] = new byte[Math.max(PAGE, length)];
        }
        page = next;
        used = 0;
    }

    /** Builds the buckets again for the entries as they now lie. */
    private void reindex() {
        Arrays.fill(buckets, 0);
        for (int p = 0; p <= page; p++) {
            byte[] e = pages[p];
            for (int at = 0, end = end(p); at < end; at += KEY + (int) INTS.get(e, at + LENGTH)) {
                BytesTable.place(buckets, slot((int) INTS.get(e, at + HASH), p, at));
            }
        }
    }

    /** Forgets every key when the kept ones take more than half the table, so that new pairs keep fitting. */
    void recycle() {
        last = -1;
        if (size > capacity / 2) {
            Arrays.fill(buckets, 0);
            page = 0;
            used = 0;
            size = 0;
        }
    }

    int size() {
        return size;
    }

    /** Pages made so far, in use or kept for reuse (tests). */
    int pagesMade() {
        int n = 0;
        while (n < pages.length && pages[n] != null) {
            n++;
        }
        return n;
    }

    /** Keys added since the last drain. */
    int added() {
        return added;
    }

    /**
     * Whether the table is nearly full, or took {@code newPairs} keys since the last drain that it had not taken lately
     * (a working set's keys that a drain forgot and that come back are not new).
     */
    boolean wantsDrain() {
        return size >= nearlyFull || fresh >= newPairs;
    }
}
