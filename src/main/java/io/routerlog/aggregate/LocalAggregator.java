package io.routerlog.aggregate;

import io.routerlog.event.DhcpEvent;
import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.event.DnsQuery;
import io.routerlog.event.EventSink;
import io.routerlog.event.FirewallPacket;
import io.routerlog.event.HttpRequest;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.event.TunnelQuery;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.LabelValuesKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counts the events of one receive thread in memory until the {@link Flusher} takes them. Each call is a short
 * uncontended lock and an array update: nothing on the receive path waits for the store.
 *
 * <p>Events arrive in their stored form (the rules stage has applied anonymization, name form, ignore list and
 * DNSTT folding).
 *
 * <p>With a query log, each query is also kept, packed, with the time it was taken (see {@link QueryLogBuffer}).
 *
 * <p>When new pairs come faster than a flush interval takes them ({@value #NEW_PAIRS_PER_BATCH} new pairs since the
 * last flush, or the batch nearly full: a tenth, or a thousand, of room left), an early flush is requested; a stream
 * source also pauses then ({@link #nearlyFull}). A working set that recurs stays in the batch from flush to flush and
 * asks for nothing, so a busy network with many pairs is still flushed once per interval. New pairs that find the
 * batch full all the same are counted as dropped ({@code aggregation_full}); pairs already in the batch keep
 * counting.
 */
public final class LocalAggregator implements EventSink {
    /** More DHCP changes than any network makes in one flush interval. */
    static final int MAX_DHCP_EVENTS = 65536;

    /**
     * New pairs (or new reply outcomes) a batch takes before it asks for an early flush, whatever its capacity: a
     * flood of new pairs is flushed as often, and held in as much memory, as when a batch held at most this many.
     * Every stage after the batch (the flush's deltas, the memo, the query-log staging) grows to what one flush
     * carries and keeps it: at 32,768 a flood of new pairs left about 45 MB of them in the heap, at 8,192 about
     * 12 MB, for about a tenth fewer lines a second in that flood. Keys that come back are not new ({@link
     * RecentKeys}), so a large working set does not ask for early flushes.
     */
    static final int NEW_PAIRS_PER_BATCH = 1 << 13;

    /** Firewall, HTTP and long-name keys a batch holds at most, and tunnel queries: kept objects, not packed bytes. */
    static final int MAX_OTHER_KEYS = 1 << 15;

    private final int pairCapacity;
    /** Keys of the firewall, HTTP and long-name maps a batch holds at most. */
    private final int otherCapacity;
    /** Query log entries kept per batch; 0 when the query log is off. */
    private final int queryLogSize;

    /** The keys this thread's batches took lately: both batches', since they take turns. */
    private final RecentKeys recent = new RecentKeys(RecentKeys.SLOTS);

    private final PipelineCounters counters;
    private final Runnable requestFlush;
    private Batch active;
    /** A drained batch given back for reuse, or null while the flusher holds it. */
    private @Nullable Batch spare;

    private boolean flushRequested;
    private final List<Runnable> onTaken = new ArrayList<>();

    LocalAggregator(int pairCapacity, int queryLogSize, PipelineCounters counters, Runnable requestFlush) {
        this.pairCapacity = pairCapacity;
        this.otherCapacity = Math.min(pairCapacity, MAX_OTHER_KEYS);
        this.queryLogSize = queryLogSize;
        this.counters = counters;
        this.requestFlush = requestFlush;
        this.active = new Batch(pairCapacity, queryLogSize, recent);
    }

    @Override
    public synchronized void query(DnsQuery query) {
        if (queryLogSize > 0) {
            // after the rules stage: anonymised, ignored names gone
            active.queryLog.add(System.currentTimeMillis(), query);
        }
        if (!active.pairs.add(query)) {
            counters.dropped(DropReason.AGGREGATION_FULL);
            full();
            return;
        }
        if (active.pairs.wantsDrain()) {
            full(); // a datagram source cannot pause: ask for the flush before the table fills
        }
        if (query.shortened()) {
            count(active.longNames, new LabelValuesKey(query.router(), query.client(), query.domain()));
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
    public synchronized void firewallPacket(FirewallPacket p) {
        count(active.firewall, new LabelValuesKey(p.prefix(), p.src(), p.dst(), p.proto(), p.dport()));
    }

    @Override
    public synchronized void httpRequest(HttpRequest r) {
        count(active.http, new LabelValuesKey(r.client(), r.frontend(), r.backend(), r.status()));
    }

    private void count(Map<LabelValuesKey, long[]> map, LabelValuesKey key) {
        long[] n = map.get(key);
        if (n == null) {
            if (map.size() >= otherCapacity) {
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
    public synchronized void reply(ReplyOutcome outcome, DnsQuery about) {
        active.outcomes[outcome.ordinal()]++;
        // the outcome is counted above whatever happens here: a full table only loses the detail, until the flush
        if (about.domainLength() > 0
                && !active.pairs.addOutcome(about, outcome)
                && (!active.replies.add(about) || active.replies.wantsDrain())) {
            full();
        }
    }

    @Override
    public synchronized void lease(DhcpLease lease) {
        dhcp(lease);
    }

    @Override
    public synchronized void release(DhcpRelease release) {
        dhcp(release);
    }

    private void dhcp(DhcpEvent event) {
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
     * True when the batch wants the flusher before it takes more: a table of pairs or of reply outcomes nearly full, or
     * with many new keys since the last flush ({@link PairCounts#wantsDrain}). A stream source should pause until the
     * flusher takes it. Asks for an early flush.
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
        return active.pairs.wantsDrain() || active.replies.wantsDrain() || active.dhcp.size() > MAX_DHCP_EVENTS / 2;
    }

    /** Hands the current batch to the flusher and starts a fresh one. */
    Batch take() {
        List<Runnable> relieved;
        Batch taken;
        synchronized (this) {
            taken = active;
            active = spare != null ? spare : new Batch(pairCapacity, queryLogSize, recent);
            spare = null;
            flushRequested = false;
            relieved = onTaken.isEmpty() ? List.of() : new ArrayList<>(onTaken);
            onTaken.clear();
        }
        relieved.forEach(Runnable::run);
        return taken;
    }

    /** Keys of the current batch's outcome table: outcomes not counted with their query (tests). */
    synchronized int outcomeKeys() {
        return active.replies.size();
    }

    /** Returns a drained batch for reuse. */
    synchronized void giveBack(Batch batch) {
        if (spare == null) {
            spare = batch;
        }
    }
}
