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
    private Batch active;
    private Batch spare;
    private boolean flushRequested;

    LocalAggregator(int pairCapacity, PipelineCounters counters, Runnable requestFlush) {
        this.pairCapacity = pairCapacity;
        this.counters = counters;
        this.requestFlush = requestFlush;
        this.active = new Batch(pairCapacity);
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

    /** Hands the current batch to the flusher and starts a fresh one. */
    synchronized Batch take() {
        Batch taken = active;
        active = spare != null ? spare : new Batch(pairCapacity);
        spare = null;
        flushRequested = false;
        return taken;
    }

    /** Returns a drained batch for reuse. */
    synchronized void giveBack(Batch batch) {
        if (spare == null) {
            spare = batch;
        }
    }
}
