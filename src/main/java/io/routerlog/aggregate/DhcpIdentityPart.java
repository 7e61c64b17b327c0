package io.routerlog.aggregate;

import io.routerlog.event.DhcpEvent;
import io.routerlog.event.DhcpLease;
import io.routerlog.store.ClientKey;
import io.routerlog.store.DhcpIdentity;
import io.routerlog.store.IdentityMap;
import io.routerlog.store.UpdateIdentity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stream of DHCP changes: per address only the latest lease or release seen, from whichever receive thread, so
 * changes are applied in the order they happened. A change is not a count: the pending changes are written whole,
 * and given up whole when the store stays away for more than four flushes' worth of them.
 */
final class DhcpIdentityPart implements FlushPart {
    private static final int BOUND = 4 * LocalAggregator.MAX_DHCP_EVENTS;

    private final IdentityMap map;
    private final Map<ClientKey, DhcpEvent> pending = new LinkedHashMap<>();

    DhcpIdentityPart(IdentityMap map) {
        this.map = map;
    }

    @Override
    public void collect(Batch batch) {
        for (DhcpEvent e : batch.dhcp) {
            ClientKey key = new ClientKey(e.router(), e.ip());
            DhcpEvent prev = pending.get(key);
            if (prev == null || prev.seenAtMillis() <= e.seenAtMillis()) {
                pending.put(key, e);
            }
        }
        batch.dhcp.clear();
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        if (pending.isEmpty()) {
            return;
        }
        Map<ClientKey, UpdateIdentity> updates = new HashMap<>();
        for (Map.Entry<ClientKey, DhcpEvent> pendingEvent : pending.entrySet()) {
            DhcpEvent e = pendingEvent.getValue();
            if (e instanceof DhcpLease lease) {
                long ttl = lease.expiresAtMillis() > 0 ? Math.max(1, lease.expiresAtMillis() - nowMillis) : 0;
                updates.put(
                        pendingEvent.getKey(),
                        UpdateIdentity.set(
                                new DhcpIdentity(
                                        lease.mac(),
                                        lease.hostname(),
                                        lease.clientId(),
                                        lease.expiresAtMillis(),
                                        lease.seenAtMillis()),
                                ttl));
            } else {
                updates.put(pendingEvent.getKey(), UpdateIdentity.release(e.mac(), e.seenAtMillis()));
            }
        }
        map.update(updates, timeoutMillis);
        pending.clear();
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() > BOUND) {
            // each change came from one DHCP line
            giveUp.gaveUp(map.name(), pending.size(), pending.size());
            pending.clear();
        }
    }
}
