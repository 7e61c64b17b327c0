package io.routerlog.aggregate;

import io.routerlog.detect.AllowList;
import io.routerlog.detect.DetectSettings;
import io.routerlog.detect.NameShape;
import io.routerlog.detect.QueryTypes;
import io.routerlog.detect.RegistrableDomains;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.SuspectKey;
import io.routerlog.store.SuspectMap;
import io.routerlog.store.SuspectStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The stream of tunnel-detection stats: for each (router, client, registrable domain) in the current bucket of the
 * window, the queries and the shapes of the distinct names below the domain. It is fed the distinct pairs and reply
 * outcomes as their parts drain them ({@link #query}, {@link #outcome}), so each name is measured once per flush
 * however often it was asked, and the receive threads do no work for it.
 *
 * <p>Each (router, client, registrable domain) is one {@link Slot}, kept while it is asked for, with the key and the
 * stats of its current bucket, reset in place once written; a pair finds its slot and its registrable domain through
 * its {@link PairMemo} entry. So a flush of known pairs makes no objects, and a slot makes one key a bucket; only the
 * write makes what the store needs.
 */
final class SuspectPart implements FlushPart {
    /** One client's queries under one registrable domain: the key and stats of its current bucket. */
    static final class Slot {
        final String router;
        final String client;
        final String domain;
        long bucket = Long.MIN_VALUE;

        @Nullable
        SuspectKey key;

        SuspectStats stats = new SuspectStats();
        /** In {@link #pending}: the stats hold something not yet written. */
        boolean pending;
        /** Asked for since the last write. */
        boolean recent;
        /** No longer in {@link #slots}: a memo entry that still holds it looks again. */
        boolean forgotten;

        Slot(String router, String client, String domain) {
            this.router = router;
            this.client = client;
            this.domain = domain;
        }
    }

    /** The client and (unusual) type of a pair. */
    record ClientType(String router, String client, String qtype) {}

    /** Where a name's registrable domain starts, and the domain (interned), or null when the name is not measured. */
    private record Registrable(int start, @Nullable String domain) {}

    private final SuspectMap map;
    private final DetectSettings settings;
    private final AllowList allow;
    private final long ttlMillis;
    private final int bound;
    private final LongSupplier clock;
    private final RegistrableDomains registrable = new RegistrableDomains();
    private final NameShape shape = new NameShape();
    /** The slots per client, by registrable domain. */
    private final ByClient<Map<String, Slot>> slots = new ByClient<>();

    private int slotCount;
    /**
     * The registrable domain of each name met since the last write, so that the pairs of one name new to the memo
     * parse it once.
     */
    private final Map<String, Registrable> registrables = new HashMap<>();
    /** The (client, type) keys made lately, so that pairs of one client and type share theirs. */
    private final ByClient<Map<String, ClientType>> clientTypes = new ByClient<>();

    private int clientTypeCount;
    /** Slots whose current stats hold something not yet written. */
    private final List<Slot> pending = new ArrayList<>();
    /** Stats of buckets their slot left before a write took them. */
    private final Map<SuspectKey, SuspectStats> earlier = new HashMap<>();

    private final ConfirmedWrite<SuspectKey, SuspectStats> writes = new ConfirmedWrite<>();

    private final WriteEvery every = new WriteEvery();
    /** Queries for unprintable names since the last write, per client and type. */
    private final Map<ClientType, Long> unprintable = new HashMap<>();
    /** The registrable domain each client last asked a printable name under, per unusual type (least recent goes). */
    private final Map<ClientType, String> lastUnusual = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ClientType, String> eldest) {
            return size() > MAX_CLIENT_TYPES;
        }
    };

    /** What dnsmasq logs in place of a name with bytes it cannot print (as 8-bit tunnels send). */
    static final String UNPRINTABLE = "<name unprintable>";

    private static final int MAX_CLIENT_TYPES = 10_000;

    /** Names whose registrable domain is remembered, at most. */
    private static final int MAX_NAMES = 50_000;

    /**
     * @param retentionMillis how long anything may be kept: the stats expire with the window or before
     */
    SuspectPart(SuspectMap map, DetectSettings settings, long retentionMillis, int bound, LongSupplier clock) {
        this.map = map;
        this.settings = settings;
        this.allow = settings.allowList();
        // a bucket counts until its last instant leaves the window
        this.ttlMillis = Math.min(retentionMillis, settings.window().toMillis() + settings.bucketMillis());
        this.bound = bound;
        this.clock = clock;
    }

    /** A pair whose {@code count} new queries went into the pending counts. */
    void query(PairView pair, PairMemo.Entry memo, long count) {
        if (!memo.described) {
            describe(pair, memo);
        }
        if (memo.unprintable) {
            unprintable.merge(clientType(pair, memo), count, Long::sum);
            return;
        }
        long now = clock.getAsLong();
        SuspectStats stats = statsOf(pair, memo, now);
        if (stats == null) {
            return;
        }
        stats.query(count, memo.nameLength, memo.unusual, now);
        if (memo.unusual) {
            lastUnusual.put(clientType(pair, memo), Objects.requireNonNull(memo.registrable));
        }
        if (memo.shaped) {
            stats.names().add(memo.shapeHash, memo.shapePack);
        }
    }

    /** Works out once what the pair's name and type are for detection, and keeps it in the memo entry. */
    private void describe(PairView pair, PairMemo.Entry memo) {
        String name = pair.domain();
        memo.unprintable = name.equals(UNPRINTABLE);
        memo.unusual = QueryTypes.isUnusual(pair.qtype());
        memo.nameLength = name.length();
        locate(pair, memo);
        if (memo.registrable != null && shape.measure(name, memo.start - 1)) {
            memo.shaped = true;
            memo.shapeHash = shape.hash();
            memo.shapePack = shape.pack();
        }
        memo.described = true;
    }

    /** Whether {@link #outcome} counts the outcome pairs of this pair's type (the label of the outcome). */
    static boolean counts(PairView outcome) {
        return outcome.qtypeIs(ReplyOutcome.NXDOMAIN.label());
    }

    /** A reply outcome (its label in the pair's type) counted {@code count} times. */
    void outcome(PairView pair, PairMemo.Entry memo, long count) {
        if (!counts(pair)) {
            return;
        }
        locate(pair, memo);
        long now = clock.getAsLong();
        SuspectStats stats = statsOf(pair, memo, now);
        if (stats != null) {
            stats.nxdomain(count, now);
        }
    }

    private ClientType clientType(PairView pair, PairMemo.Entry memo) {
        ClientType ct = memo.clientType;
        if (ct == null) {
            if (clientTypeCount > 2 * MAX_CLIENT_TYPES) {
                clientTypes.removeIf(types -> true);
                clientTypeCount = 0;
            }
            Map<String, ClientType> types =
                    clientTypes.computeIfAbsent(pair.router(), pair.client(), (r, c) -> new HashMap<>());
            ct = types.get(pair.qtype());
            if (ct == null) {
                ct = new ClientType(pair.router(), pair.client(), pair.qtype());
                types.put(pair.qtype(), ct);
                clientTypeCount++;
            }
            memo.clientType = ct;
        }
        return ct;
    }

    /** Works out the registrable domain of the pair's name, unless the memo entry has it. */
    private void locate(PairView pair, PairMemo.Entry memo) {
        if (memo.located) {
            return;
        }
        Registrable r = registrableOf(pair.domain());
        memo.start = r.start();
        memo.registrable = r.domain();
        memo.located = true;
    }

    /** The pending stats of the pair's client and domain, null for a name that is not measured (located first). */
    private @Nullable SuspectStats statsOf(PairView pair, PairMemo.Entry memo, long nowMillis) {
        String domain = memo.registrable;
        if (domain == null) {
            return null;
        }
        Slot slot = memo.suspect;
        if (slot == null || slot.forgotten) {
            slot = slotOf(pair.router(), pair.client(), domain);
            memo.suspect = slot;
        }
        return statsIn(slot, settings.bucketOf(nowMillis));
    }

    private Registrable registrableOf(String name) {
        Registrable r = registrables.get(name);
        if (r == null) {
            int start = registrable.start(name);
            r = new Registrable(
                    start,
                    start < 0 || allow.allows(name, start)
                            ? null
                            : name.substring(start).intern());
            if (registrables.size() >= MAX_NAMES) {
                registrables.clear();
            }
            registrables.put(name, r);
        }
        return r;
    }

    private Slot slotOf(String router, String client, String domain) {
        Map<String, Slot> byDomain = slots.computeIfAbsent(router, client, (r, c) -> new HashMap<>());
        Slot slot = byDomain.get(domain);
        if (slot == null) {
            slot = new Slot(router, client, domain);
            byDomain.put(domain, slot);
            slotCount++;
        }
        return slot;
    }

    /** The slot's stats for {@code bucket}, which the caller adds to: a new bucket leaves the last one to be written. */
    private SuspectStats statsIn(Slot slot, long bucket) {
        if (slot.bucket != bucket) {
            if (slot.pending) {
                earlier.put(Objects.requireNonNull(slot.key), slot.stats);
                slot.stats = new SuspectStats();
            } else {
                slot.stats.clear();
            }
            SuspectKey key = new SuspectKey(slot.router, slot.client, slot.domain, bucket);
            // a clock set back finds the bucket it left
            SuspectStats left = earlier.remove(key);
            if (left != null) {
                slot.stats = left;
            }
            slot.key = key;
            slot.bucket = bucket;
        }
        slot.recent = true;
        if (!slot.pending) {
            slot.pending = true;
            pending.add(slot);
        }
        return slot.stats;
    }

    @Override
    public void collect(Batch batch) {
        // the pairs and outcomes parts report what they drain
    }

    /**
     * Attributes this flush's unprintable names, and every {@value WriteEvery#MILLIS} ms (or on a flush someone waits
     * for) writes the pending stats: a score needs no flush-exact bucket, and the receive path's flushes should not
     * wait for a second map each time.
     */
    @Override
    public void write(long nowMillis, long timeoutMillis) {
        attributeUnprintable(nowMillis);
        if (!every.due(nowMillis)) {
            return;
        }
        // names are kept only to be looked up again soon, not for long
        registrables.clear();
        writes.write(
                earlier,
                pending,
                slot -> Objects.requireNonNull(slot.key),
                slot -> slot.stats,
                slot -> {
                    slot.stats.clear();
                    slot.pending = false;
                },
                values -> map.add(values, ttlMillis, timeoutMillis));
        forgetQuietSlots();
        every.wrote(nowMillis);
    }

    /** Forgets the slots nobody asked for since the last write (what they held was written). */
    private void forgetQuietSlots() {
        slots.removeIf(byDomain -> {
            int before = byDomain.size();
            byDomain.values().removeIf(SuspectPart::forget);
            slotCount -= before - byDomain.size();
            return byDomain.isEmpty();
        });
    }

    /** Whether a slot goes: nobody asked for it since the last write (and then it is marked forgotten). */
    private static boolean forget(Slot slot) {
        if (slot.recent || slot.pending) {
            slot.recent = false;
            return false;
        }
        slot.forgotten = true;
        return true;
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    /** Slots this part keeps (for tests). */
    int slots() {
        return slotCount;
    }

    /**
     * Adds the queries for unprintable names of this flush to the domain their client last asked a printable name
     * under with the same unusual type: an 8-bit tunnel such as iodine sends its handshake and polls in printable
     * names under its domain and its data in binary ones, all of one type. Without such a name they stay unknown.
     */
    private void attributeUnprintable(long nowMillis) {
        if (unprintable.isEmpty()) {
            return;
        }
        long bucket = settings.bucketOf(nowMillis);
        unprintable.forEach((ct, count) -> {
            String domain = lastUnusual.get(ct);
            if (domain != null) {
                statsIn(slotOf(ct.router(), ct.client(), domain), bucket).unprintable(count, true, nowMillis);
            }
        });
        unprintable.clear();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        int size = earlier.size() + pending.size();
        if (size > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), size, 0);
            earlier.clear();
            for (Slot slot : pending) {
                slot.stats.clear();
                slot.pending = false;
            }
            pending.clear();
        }
    }
}
