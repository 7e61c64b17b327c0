package io.routerlog.aggregate;

import io.routerlog.store.ClientKey;
import io.routerlog.store.ClientSeen;
import io.routerlog.store.PairKey;
import io.routerlog.store.SeenMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stream of client sightings: every client (router, address) whose queries a flush carries is seen at the time
 * of that flush, so first and last seen are exact to the flush interval. The clients come from the pairs as the
 * pairs part drains them ({@link #saw}); the store widens each stored span (min, max), so writing a sighting again
 * after a failure changes nothing.
 *
 * <p>The sightings are written every {@value #WRITE_EVERY_MILLIS} ms (and on the last flush), not every flush: one
 * entry processor per client is work the receive path's flushes need not wait for each time, and a span
 * accumulated in between keeps its flush-exact times.
 */
final class ClientSeenPart implements FlushPart {
    private final SeenMap map;
    private final int bound;
    /** Clients whose queries were collected since the last write. */
    private final Set<ClientKey> collected = new HashSet<>();

    private final Map<ClientKey, ClientSeen> pending = new HashMap<>();

    static final long WRITE_EVERY_MILLIS = WriteEvery.MILLIS;

    private final WriteEvery every = new WriteEvery();

    ClientSeenPart(SeenMap map, int bound) {
        this.map = map;
        this.bound = bound;
    }

    /** A pair with queries went into the pending counts. */
    void saw(PairKey pair) {
        collected.add(new ClientKey(pair.router(), pair.client()));
    }

    @Override
    public void collect(Batch batch) {
        // the pairs part reports the clients as it drains the batch
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        ClientSeen now = new ClientSeen(nowMillis, nowMillis);
        for (ClientKey client : collected) {
            pending.merge(client, now, (old, n) -> new ClientSeen(old.firstMillis(), nowMillis));
        }
        collected.clear();
        if (!every.due(nowMillis)) {
            return;
        }
        map.widen(pending, timeoutMillis);
        pending.clear();
        every.wrote(nowMillis);
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() + collected.size() > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), pending.size() + collected.size(), 0);
            pending.clear();
            collected.clear();
        }
    }
}
