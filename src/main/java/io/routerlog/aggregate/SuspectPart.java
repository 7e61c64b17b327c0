package io.routerlog.aggregate;

import io.routerlog.detect.AllowList;
import io.routerlog.detect.DetectSettings;
import io.routerlog.detect.NameShape;
import io.routerlog.detect.QueryTypes;
import io.routerlog.detect.RegistrableDomains;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.PairKey;
import io.routerlog.store.SuspectKey;
import io.routerlog.store.SuspectMap;
import io.routerlog.store.SuspectStats;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The stream of tunnel-detection stats: for each (router, client, registrable domain) in the current bucket of the
 * window, the queries and the shapes of the distinct names below the domain. It is fed the distinct pairs and reply
 * outcomes as their parts drain them ({@link #query}, {@link #outcome}), so each name is measured once per flush
 * however often it was asked, and the receive threads do no work for it.
 */
final class SuspectPart implements FlushPart {
    private final SuspectMap map;
    private final DetectSettings settings;
    private final AllowList allow;
    private final long ttlMillis;
    private final int bound;
    private final LongSupplier clock;
    private final RegistrableDomains registrable = new RegistrableDomains();
    private final NameShape shape = new NameShape();
    private final Map<SuspectKey, SuspectStats> pending = new HashMap<>();
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

    private record ClientType(String router, String client, String qtype) {}

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
    void query(PairKey pair, long count) {
        String name = pair.domain();
        if (name.equals(UNPRINTABLE)) {
            unprintable.merge(new ClientType(pair.router(), pair.client(), pair.qtype()), count, Long::sum);
            return;
        }
        int start = registrable.start(name);
        SuspectStats stats = statsOf(pair, start);
        if (stats == null) {
            return;
        }
        boolean unusual = QueryTypes.isUnusual(pair.qtype());
        stats.query(count, name.length(), unusual, clock.getAsLong());
        if (unusual) {
            lastUnusual.put(new ClientType(pair.router(), pair.client(), pair.qtype()), name.substring(start));
        }
        if (shape.measure(name, start - 1)) {
            stats.names().add(shape.hash(), shape.pack());
        }
    }

    /** A reply outcome (its label in the pair's type) counted {@code count} times. */
    void outcome(PairKey pair, long count) {
        if (!pair.qtype().equals(ReplyOutcome.NXDOMAIN.label())) {
            return;
        }
        SuspectStats stats = statsOf(pair, registrable.start(pair.domain()));
        if (stats != null) {
            stats.nxdomain(count, clock.getAsLong());
        }
    }

    /** The pending stats of the pair's client and domain, null for a name that is not measured. */
    private @Nullable SuspectStats statsOf(PairKey pair, int start) {
        String name = pair.domain();
        if (start < 0 || allow.allows(name, start)) {
            return null;
        }
        SuspectKey key = new SuspectKey(
                pair.router(), pair.client(), name.substring(start), settings.bucketOf(clock.getAsLong()));
        return pending.computeIfAbsent(key, k -> new SuspectStats());
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
        map.add(pending, ttlMillis, timeoutMillis);
        every.wrote(nowMillis);
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    /**
     * Adds the queries for unprintable names of this flush to the domain their client last asked a printable name
     * under with the same unusual type: an 8-bit tunnel such as iodine sends its handshake and polls in printable
     * names under its domain and its data in binary ones, all of one type. Without such a name they stay unknown.
     */
    private void attributeUnprintable(long nowMillis) {
        unprintable.forEach((ct, count) -> {
            String domain = lastUnusual.get(ct);
            if (domain != null) {
                pending.computeIfAbsent(
                                new SuspectKey(ct.router(), ct.client(), domain, settings.bucketOf(nowMillis)),
                                k -> new SuspectStats())
                        .unprintable(count, true, nowMillis);
            }
        });
        unprintable.clear();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), pending.size(), 0);
            pending.clear();
        }
    }
}
