package io.routerlog.aggregate;

import io.routerlog.store.ClientKey;
import io.routerlog.store.ClientSeen;
import io.routerlog.store.SeenMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream of client sightings: every client (router, address) whose queries a flush carries is seen at the time
 * of that flush, so first and last seen are exact to the flush interval. The clients come from the pairs as the
 * pairs part drains them ({@link #saw}); the store widens each stored span (min, max), so writing a sighting again
 * after a failure changes nothing.
 *
 * <p>The sightings are written every {@value #WRITE_EVERY_MILLIS} ms (and on the last flush), not every flush: an
 * entry-processor call for each partition that holds clients is work the receive path's flushes need not wait for
 * each time, and a span accumulated in between keeps its flush-exact times.
 *
 * <p>Each client is one {@link Client}, kept from one write to the next while it asks anything, and found through
 * the pair's {@link PairMemo} entry: a flush of clients seen before makes no objects. Only the write makes what the
 * store needs, and drops it when done.
 */
final class ClientSeenPart implements FlushPart {
    /** One client: its key and the span not yet written. */
    static final class Client {
        final ClientKey key;
        long firstMillis;
        long lastMillis;
        /** In {@link #collected}. */
        boolean collected;
        /** In {@link #pending}, with a span. */
        boolean pending;
        /** Seen since the last write. */
        boolean recent;
        /** No longer in {@link #clients}: a memo entry that still holds it looks again. */
        boolean forgotten;

        Client(String router, String client) {
            this.key = new ClientKey(router, client);
        }
    }

    private final SeenMap map;
    private final int bound;
    private final ByClient<Client> clients = new ByClient<>();
    /** Clients whose queries were collected since the last flush. */
    private final List<Client> collected = new ArrayList<>();
    /** Clients with a span not yet written. */
    private final List<Client> pending = new ArrayList<>();
    /** What one write hands the store; emptied after it. */
    private final Map<ClientKey, ClientSeen> outgoing = new HashMap<>();

    static final long WRITE_EVERY_MILLIS = WriteEvery.MILLIS;

    private final WriteEvery every = new WriteEvery();

    ClientSeenPart(SeenMap map, int bound) {
        this.map = map;
        this.bound = bound;
    }

    /** A pair with queries went into the pending counts. */
    void saw(PairView pair, PairMemo.Entry memo) {
        Client c = memo.seen;
        if (c == null || c.forgotten) {
            c = clients.computeIfAbsent(pair.router(), pair.client(), Client::new);
            memo.seen = c;
        }
        if (!c.collected) {
            c.collected = true;
            collected.add(c);
        }
    }

    @Override
    public void collect(Batch batch) {
        // the pairs part reports the clients as it drains the batch
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        for (int i = 0, n = collected.size(); i < n; i++) {
            Client c = collected.get(i);
            c.collected = false;
            c.recent = true;
            if (!c.pending) {
                c.pending = true;
                c.firstMillis = nowMillis;
                pending.add(c);
            }
            c.lastMillis = nowMillis;
        }
        collected.clear();
        if (!every.due(nowMillis)) {
            return;
        }
        for (int i = 0, n = pending.size(); i < n; i++) {
            Client c = pending.get(i);
            outgoing.put(c.key, new ClientSeen(c.firstMillis, c.lastMillis));
        }
        try {
            map.widen(outgoing, timeoutMillis);
        } finally {
            outgoing.clear();
        }
        for (int i = 0, n = pending.size(); i < n; i++) {
            pending.get(i).pending = false;
        }
        pending.clear();
        forgetQuietClients();
        every.wrote(nowMillis);
    }

    /** Forgets the clients that asked nothing since the last write. */
    private void forgetQuietClients() {
        clients.removeIf(c -> {
            if (c.recent || c.collected) {
                c.recent = false;
                return false;
            }
            c.forgotten = true;
            return true;
        });
    }

    /** The next write writes everything pending (a flush someone waits for). */
    void writeAllNext() {
        every.writeAllNext();
    }

    /** Clients this part keeps (for tests). */
    int clients() {
        return clients.size();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() + collected.size() > bound) {
            // the queries themselves are counted by the pairs
            giveUp.gaveUp(map.name(), pending.size() + collected.size(), 0);
            pending.forEach(c -> c.pending = false);
            collected.forEach(c -> c.collected = false);
            pending.clear();
            collected.clear();
        }
    }
}
