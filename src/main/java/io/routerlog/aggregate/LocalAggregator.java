package io.routerlog.aggregate;

import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;

/**
 * Counts the events of one receive thread in memory until the {@link Flusher} takes them. Each call is a short
 * uncontended lock and an array update: nothing on the receive path waits for the store.
 *
 * <p>When a flood of new pairs fills the batch before the next flush, an early flush is requested and the new
 * pairs that do not fit are counted as dropped ({@code aggregation_full}); pairs already in the batch keep counting.
 */
public final class LocalAggregator implements EventSink {
    /** More DHCP changes than any network makes in one flush interval. */
    static final int MAX_DHCP_EVENTS = 65536;

    private final int pairCapacity;
    private final PipelineCounters counters;
    private final Runnable requestFlush;
    /** Client addresses are anonymized before they are counted; DHCP identities are then not kept at all. */
    private final ClientAnonymizer anonymizer;
    private Batch active;
    private Batch spare;
    private boolean flushRequested;
    private final java.util.List<Runnable> onTaken = new java.util.ArrayList<>();

    LocalAggregator(int pairCapacity, PipelineCounters counters, Runnable requestFlush, ClientAnonymizer anonymizer) {
        this.pairCapacity = pairCapacity;
        this.counters = counters;
        this.requestFlush = requestFlush;
        this.anonymizer = anonymizer;
        this.active = new Batch(pairCapacity, anonymizer);
    }

    @Override
    public synchronized void query(DnsQuery query) {
        if (!active.pairs.add(query)) {
            counters.dropped(DropReason.AGGREGATION_FULL);
            full();
        }
    }

    @Override
    public synchronized void tunnelQuery(TunnelQuery query) {
        if (!active.tunnels.add(query)) {
            counters.dropped(DropReason.AGGREGATION_FULL);
            full();
        }
    }

    @Override
    public synchronized void tunnelResponse(TunnelQuery response) {
        if (!active.tunnels.addResponse(response)) {
            counters.dropped(DropReason.AGGREGATION_FULL);
            full();
        }
    }

    @Override
    public synchronized void firewallPacket(io.routerlog.event.FirewallPacket p) {
        count(active.firewall, new io.routerlog.store.LabelKey(p.prefix(), p.src(), p.dst(), p.proto(), p.dport()));
    }

    @Override
    public synchronized void httpRequest(io.routerlog.event.HttpRequest r) {
        count(active.http, new io.routerlog.store.LabelKey(r.client(), r.frontend(), r.backend(), r.status()));
    }

    private void count(java.util.Map<io.routerlog.store.LabelKey, long[]> map, io.routerlog.store.LabelKey key) {
        long[] n = map.get(key);
        if (n == null) {
            if (map.size() >= pairCapacity) {
                counters.dropped(DropReason.AGGREGATION_FULL);
                full();
                return;
            }
            n = new long[1];
            map.put(key, n);
        }
        n[0]++;
    }

    @Override
    public synchronized void reply(ReplyOutcome outcome) {
        active.outcomes[outcome.ordinal()]++;
    }

    @Override
    public synchronized void lease(DhcpLease lease) {
        dhcp(lease);
    }

    @Override
    public synchronized void release(DhcpRelease release) {
        dhcp(release);
    }

    private void dhcp(io.routerlog.event.DhcpEvent event) {
        if (anonymizer.active()) {
            return; // a MAC and hostname would name the client that the address no longer does
        }
        if (active.dhcp.size() >= MAX_DHCP_EVENTS) {
            counters.dropped(DropReason.AGGREGATION_FULL);
            full();
            return;
        }
        active.dhcp.add(event);
    }

    private void full() {
        if (!flushRequested) {
            flushRequested = true;
            requestFlush.run();
        }
    }

    /**
     * True when the batch has little room left for new pairs (less than a tenth, or a thousand): a stream source
     * should pause until the flusher takes it. Asks for an early flush.
     */
    public synchronized boolean nearlyFull() {
        boolean nearlyFull = nearlyFullWithoutFlush();
        if (nearlyFull) {
            full();
        }
        return nearlyFull;
    }

    /** Runs {@code action} once the flusher has taken the current batch (right away if it is not nearly full). */
    public void whenTaken(Runnable action) {
        synchronized (this) {
            if (nearlyFullWithoutFlush()) {
                onTaken.add(action);
                return;
            }
        }
        action.run();
    }

    private boolean nearlyFullWithoutFlush() {
        int room = pairCapacity - active.pairs.size();
        return room < Math.min(1000, pairCapacity / 10) || active.dhcp.size() > MAX_DHCP_EVENTS / 2;
    }

    /** Hands the current batch to the flusher and starts a fresh one. */
    Batch take() {
        java.util.List<Runnable> relieved;
        Batch taken;
        synchronized (this) {
            taken = active;
            active = spare != null ? spare : new Batch(pairCapacity, anonymizer);
            spare = null;
            flushRequested = false;
            relieved = onTaken.isEmpty() ? java.util.List.of() : new java.util.ArrayList<>(onTaken);
            onTaken.clear();
        }
        relieved.forEach(Runnable::run);
        return taken;
    }

    /** Returns a drained batch for reuse. */
    synchronized void giveBack(Batch batch) {
        if (spare == null) {
            spare = batch;
        }
    }
}
