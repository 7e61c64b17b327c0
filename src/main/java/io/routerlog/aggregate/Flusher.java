package io.routerlog.aggregate;

import io.routerlog.event.DhcpEvent;
import io.routerlog.event.DhcpLease;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.DhcpIdentity;
import io.routerlog.store.LabelKey;
import io.routerlog.store.PairKey;
import io.routerlog.store.Store;
import io.routerlog.store.StoreException;
import io.routerlog.store.UpdateIdentity;
import io.routerlog.geoip.GeoIp;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Moves what the {@link LocalAggregator}s counted into the store, every flush interval, on its own thread
 * ({@code routerlog-flush}). Each flush writes one batch per map partition, not one call per message.
 *
 * <p>When the store does not take a flush, its counts stay here and go with the next one. Every kind of pending
 * update has a bound (four times what one flush can bring): if the store stays away long enough for one to outgrow
 * it, that kind is given up, its entries counted per map ({@link FlushStats#givenUp}) and the messages they came
 * from as dropped ({@code store_unavailable}: queries, firewall packets, HTTP requests, DHCP lines).
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Flusher.class);
    private static final long WRITE_TIMEOUT_MILLIS = 30_000;

    private final Store store;
    private final PipelineCounters counters;
    private final Duration interval;
    private final int batchCapacity;
    private final LongSupplier clock;
    private final List<LocalAggregator> aggregators = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;
    private final AtomicBoolean earlyFlushQueued = new AtomicBoolean();
    private final FlushStats stats = new FlushStats();

    // touched only on the flush thread
    private final Map<PairKey, Long> pendingPairs = new HashMap<>();
    private final long[] pendingOutcomes = new long[ReplyOutcome.values().length];
    private final Map<String, DhcpEvent> pendingDhcp = new LinkedHashMap<>();
    private final Map<LabelKey, Long> pendingFirewall = new HashMap<>();
    private final Map<LabelKey, Long> pendingHttp = new HashMap<>();
    private final Map<LabelKey, Long> pendingLongNames = new HashMap<>();
    private long lastFailureLog;
    /** Set before start() when DNSTT domains are configured. */
    private TunnelFlush tunnels;

    /**
     * @param batchCapacity distinct pairs one receive thread may collect between two flushes
     */
    public Flusher(Store store, PipelineCounters counters, Duration interval, int batchCapacity, LongSupplier clock) {
        this.store = store;
        this.counters = counters;
        this.interval = interval;
        this.batchCapacity = batchCapacity;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routerlog-flush");
            t.setDaemon(true);
            return t;
        });
    }

    /** A new aggregator for one receive thread (or other source), flushed by this flusher. */
    public LocalAggregator newAggregator() {
        LocalAggregator a = new LocalAggregator(batchCapacity, counters, this::requestFlush);
        aggregators.add(a);
        return a;
    }

    /**
     * Also moves DNSTT counts and sessions, with GeoIP labels for the addresses that sent the queries, and
     * keeps the peak of sessions seen within {@code activeWindow}.
     *
     * @param domains the tunnel domains in the order the parser numbers them
     */
    public Flusher withTunnels(List<String> domains, Duration activeWindow, GeoIp geoIp) {
        this.tunnels = domains.isEmpty() ? null : new TunnelFlush(store.tunnels(), domains, activeWindow, geoIp);
        return this;
    }

    public void start() {
        long ms = interval.toMillis();
        // runs until close() shuts the thread down; flushSafely catches what a flush throws, so the future never fails
        var unused = thread.scheduleWithFixedDelay(this::flushSafely, ms, ms, TimeUnit.MILLISECONDS);
    }

    public FlushStats stats() {
        return stats;
    }

    /** Asks for a flush soon, without waiting for it. */
    void requestFlush() {
        if (earlyFlushQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    earlyFlushQueued.set(false);
                    flushSafely();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                earlyFlushQueued.set(false);
            }
        }
    }

    /** Flushes now and waits until the store has taken everything counted before this call. */
    public void flushNow() {
        try {
            thread.submit(this::flushSafely).get(2 * WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Flush did not complete: {}", e.toString());
        }
    }

    private void flushSafely() {
        long start = System.nanoTime();
        try {
            collect();
            write();
            stats.flushes.increment();
            stats.lastSuccessEpochMillis = clock.getAsLong();
        } catch (StoreException e) {
            stats.failures.increment();
            long now = System.nanoTime();
            if (now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
                lastFailureLog = now;
                LOG.warn("Could not write counts to the store, keeping them for the next flush: {}", e.getMessage());
            }
            giveUpIfTooMuchPending();
        } catch (RuntimeException e) {
            stats.failures.increment();
            LOG.error("Flush failed", e);
        } finally {
            stats.lastDurationNanos = System.nanoTime() - start;
            stats.pendingPairs = pendingPairs.size();
        }
    }

    private void collect() {
        for (LocalAggregator a : aggregators) {
            Batch b = a.take();
            b.pairs.drainTo(pendingPairs);
            for (int i = 0; i < pendingOutcomes.length; i++) {
                pendingOutcomes[i] += b.outcomes[i];
                b.outcomes[i] = 0;
            }
            for (DhcpEvent e : b.dhcp) {
                DhcpEvent prev = pendingDhcp.get(e.ip());
                if (prev == null || prev.seenAtMillis() <= e.seenAtMillis()) {
                    pendingDhcp.put(e.ip(), e);
                }
            }
            b.dhcp.clear();
            b.firewall.forEach((k, n) -> pendingFirewall.merge(k, n[0], Long::sum));
            b.firewall.clear();
            b.http.forEach((k, n) -> pendingHttp.merge(k, n[0], Long::sum));
            b.http.clear();
            b.longNames.forEach((k, n) -> pendingLongNames.merge(k, n[0], Long::sum));
            b.longNames.clear();
            if (tunnels != null) {
                b.tunnels.drain(tunnels);
            }
            b.pairs.recycle();
            a.giveBack(b);
        }
    }

    private void write() {
        // add() removes what the store confirmed, so on failure only the unconfirmed part is retried
        store.pairs().add(pendingPairs, WRITE_TIMEOUT_MILLIS);
        Map<String, Long> outcomes = new HashMap<>();
        for (ReplyOutcome o : ReplyOutcome.values()) {
            if (pendingOutcomes[o.ordinal()] != 0) {
                outcomes.put(o.label(), pendingOutcomes[o.ordinal()]);
            }
        }
        try {
            store.replies().add(outcomes, WRITE_TIMEOUT_MILLIS);
        } finally {
            for (ReplyOutcome o : ReplyOutcome.values()) {
                pendingOutcomes[o.ordinal()] = outcomes.getOrDefault(o.label(), 0L);
            }
        }
        if (!pendingDhcp.isEmpty()) {
            Map<String, UpdateIdentity> updates = new HashMap<>();
            long now = clock.getAsLong();
            for (DhcpEvent e : pendingDhcp.values()) {
                if (e instanceof DhcpLease lease) {
                    long ttl = lease.expiresAtMillis() > 0 ? Math.max(1, lease.expiresAtMillis() - now) : 0;
                    updates.put(e.ip(), UpdateIdentity.set(new DhcpIdentity(lease.mac(), lease.hostname(),
                            lease.clientId(), lease.expiresAtMillis(), lease.seenAtMillis()), ttl));
                } else {
                    updates.put(e.ip(), UpdateIdentity.release(e.mac(), e.seenAtMillis()));
                }
            }
            store.identities().update(updates, WRITE_TIMEOUT_MILLIS);
            pendingDhcp.clear();
        }
        store.firewall().add(pendingFirewall, WRITE_TIMEOUT_MILLIS);
        store.http().add(pendingHttp, WRITE_TIMEOUT_MILLIS);
        store.longNames().add(pendingLongNames, WRITE_TIMEOUT_MILLIS);
        if (tunnels != null) {
            tunnels.write(clock.getAsLong(), WRITE_TIMEOUT_MILLIS);
        }
    }

    private void giveUpIfTooMuchPending() {
        int bound = 4 * Math.max(batchCapacity, store.pairCapacity());
        giveUp(pendingPairs, bound, store.pairs().name(), true);
        giveUp(pendingFirewall, bound, store.firewall().name(), true);
        giveUp(pendingHttp, bound, store.http().name(), true);
        giveUp(pendingLongNames, bound, store.longNames().name(), false); // their queries are in the pairs
        if (pendingDhcp.size() > 4 * LocalAggregator.MAX_DHCP_EVENTS) {
            gaveUp(store.identities().name(), pendingDhcp.size(), pendingDhcp.size());
            pendingDhcp.clear();
        }
        if (tunnels != null) {
            tunnels.giveUpAbove(bound, (map, entries) -> gaveUp(map, entries, 0));
        }
    }

    /** Gives up the pending counts of one map when there are more than {@code bound} of them. */
    private <K> void giveUp(Map<K, Long> pending, int bound, String map, boolean messages) {
        if (pending.size() > bound) {
            long lost = 0;
            for (long c : pending.values()) {
                lost += c;
            }
            gaveUp(map, pending.size(), messages ? lost : 0);
            pending.clear();
        }
    }

    private void gaveUp(String map, long entries, long messages) {
        stats.gaveUp(map, entries);
        if (messages > 0) {
            counters.dropped(DropReason.STORE_UNAVAILABLE, messages);
        }
        LOG.error("The store has not taken updates for too long; gave up {} pending entries of {}{}", entries, map,
                messages > 0 ? " (" + messages + " messages)" : "");
    }

    /** Flushes what is left and stops the flush thread. */
    @Override
    public void close() {
        flushNow();
        thread.shutdown();
        try {
            thread.awaitTermination(WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
