package io.routerlog.aggregate;

import io.routerlog.detect.DetectSettings;
import io.routerlog.geoip.GeoIp;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.LogThrottle;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.Store;
import io.routerlog.store.StoreException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Moves what the {@link LocalAggregator}s counted into the store, every flush interval, on its own thread
 * ({@code routerlog-flush}). Each flush writes one batch per map partition, not one call per message.
 *
 * <p>When the store does not take a flush, its counts stay here and go with the next one. Every kind of pending
 * update has a bound (four times what one flush can bring): if the store stays away long enough for one to outgrow
 * it, that kind is given up, its entries counted per map ({@link FlushStats#givenUp}) and the messages they came
 * from as dropped ({@code store_unavailable}: queries, firewall packets, HTTP requests, DHCP lines).
 *
 * <p>Each kind is one {@link FlushPart}, which knows its bound and what giving up means for it; a flush collects,
 * writes and, after a failure, gives up part by part, in the order of {@link #parts}.
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Flusher.class);
    private static final long WRITE_TIMEOUT_MILLIS = 30_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Store store;
    private final PipelineCounters counters;
    private final Duration interval;
    private final int batchCapacity;
    private final LongSupplier clock;
    private final List<LocalAggregator> aggregators = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread;
    private final AtomicBoolean earlyFlushQueued = new AtomicBoolean();
    private final FlushStats stats = new FlushStats();

    /** Pending counts kept while the store is away, per kind: four times what one flush can bring. */
    private final int counterBound;

    // touched only on the flush thread
    private final PairPart pairs;
    private final ClientSeenPart seen;
    /** Set before start() by {@link #withDetection}. */
    private @Nullable SuspectPart suspects;

    private final ActivityPart activity;
    /** The parts fed by the drained pairs. */
    private final PairFollowers followers;
    /** Written in this order; the DNSTT part is added before start() when DNSTT domains are configured. */
    private final List<FlushPart> parts = new ArrayList<>();

    private final LogThrottle failureLog = LogThrottle.perMinute();

    /**
     * Pairs the memo keeps at most: more than a home network's working set between two sweeps, and a bound on what a
     * flood of new pairs costs the flush thread (about 150 bytes a pair).
     */
    static final int MEMO_LIMIT = 1 << 16;

    /** Distinct pairs a receive thread's batch holds at most, whatever {@code --max-pairs} says. */
    static final int MAX_BATCH_PAIRS = 1 << 17;

    /**
     * Distinct pairs one receive thread may count between two flushes, for a store of {@code maxPairs}: as many as
     * the store keeps, from 4,096 up to {@value #MAX_BATCH_PAIRS}, so that a working set the store holds is flushed
     * once per interval however busy it is. A flood of new pairs does not fill it: the batch asks for an early flush
     * after {@value LocalAggregator#NEW_PAIRS_PER_BATCH} new pairs ({@link LocalAggregator}), which bounds what each
     * receive thread holds in a flood (two batches of pairs and two of reply outcomes, about 110 bytes a pair).
     */
    public static int batchCapacity(int maxPairs) {
        return Math.min(MAX_BATCH_PAIRS, Math.max(4096, maxPairs));
    }

    /**
     * @param batchCapacity distinct pairs one receive thread may collect between two flushes ({@link
     *                      #batchCapacity})
     */
    @SuppressWarnings("ThreadPriorityCheck") // a lower priority for background work is the point
    public Flusher(Store store, PipelineCounters counters, Duration interval, int batchCapacity, LongSupplier clock) {
        this.store = store;
        this.counters = counters;
        this.interval = interval;
        this.batchCapacity = batchCapacity;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routerlog-flush");
            t.setDaemon(true);
            // takes a smaller share of the CPU than the receive threads where priorities reach the system (see
            // Store#inBackground)
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        this.counterBound = 4 * Math.max(batchCapacity, store.pairCapacity());
        this.seen = new ClientSeenPart(store.seen(), counterBound);
        this.activity = new ActivityPart(store.activity().counters(), counterBound);
        this.followers = new PairFollowers(new PairMemo(MEMO_LIMIT), seen, activity);
        PairPart outcomes =
                new PairPart(store.outcomes(), b -> b.replies, followers.outcomes, null, counterBound, false);
        // the outcomes counted with their queries come out of the query table's drain
        this.pairs =
                new PairPart(store.pairs(), b -> b.pairs, followers.queries, outcomes.collector(), counterBound, true);
        parts.add(pairs);
        parts.add(seen);
        parts.add(activity);
        parts.add(new ReplyOutcomePart(store.replies()));
        parts.add(outcomes);
        parts.add(new DhcpIdentityPart(store.identities()));
        parts.add(CounterMapPart.ofLabels(store.firewall(), b -> b.firewall, counterBound, true));
        parts.add(CounterMapPart.ofLabels(store.http(), b -> b.http, counterBound, true));
        // their queries are in the pairs
        parts.add(CounterMapPart.ofLabels(store.longNames(), b -> b.longNames, counterBound, false));
        if (store.queryLog().enabled()) {
            parts.add(new QueryLogPart(store.queryLog(), stats));
        }
    }

    /** A new aggregator for one receive thread (or other source), flushed by this flusher. */
    public LocalAggregator newAggregator() {
        LocalAggregator a =
                new LocalAggregator(batchCapacity, store.queryLog().capacity(), counters, this::requestFlush);
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
        if (!domains.isEmpty()) {
            parts.add(new TunnelPart(store.tunnels(), domains, activeWindow, geoIp, counterBound));
        }
        return this;
    }

    /**
     * Also measures every query for tunnel detection ({@code detect}), keeping nothing longer than {@code
     * retention}.
     */
    public Flusher withDetection(DetectSettings detect, Duration retention) {
        SuspectPart part = new SuspectPart(store.suspects(), detect, retention.toMillis(), counterBound, clock);
        suspects = part;
        followers.detectWith(part);
        parts.add(part);
        return this;
    }

    public void start() {
        long ms = interval.toMillis();
        // runs until close() shuts the thread down; flushSafely catches what a flush throws, so the future never fails
        // at a fixed rate: a flush that takes long does not push the next one further out
        var unused = thread.scheduleAtFixedRate(this::flushSafely, ms, ms, TimeUnit.MILLISECONDS);
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
            } catch (RejectedExecutionException e) {
                earlyFlushQueued.set(false);
            }
        }
    }

    /** Flushes now and waits until the store has taken everything counted before this call. */
    public void flushNow() {
        try {
            // on the flush thread: a flush already under way there cannot use up the "write everything" before
            // this one has collected what was counted before the call
            thread.submit(() -> {
                        seen.writeAllNext();
                        activity.writeAllNext();
                        SuspectPart detection = suspects;
                        if (detection != null) {
                            detection.writeAllNext();
                        }
                        flushSafely();
                    })
                    .get(2 * WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Flush did not complete: {}", e.toString());
        }
    }

    private void flushSafely() {
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try {
            collect();
            write();
            stats.flushes.increment();
            stats.lastSuccessEpochMillis = clock.getAsLong();
        } catch (StoreException e) {
            stats.failures.increment();
            if (failureLog.permits()) {
                LOG.warn("Could not write counts to the store, keeping them for the next flush: {}", e.getMessage());
            }
            giveUpIfTooMuchPending();
        } catch (RuntimeException e) {
            stats.failures.increment();
            LOG.error("Flush failed", e);
        } finally {
            long took = System.nanoTime() - start;
            stats.lastDurationNanos = took;
            stats.totalDurationNanos.add(took);
            long cpuEnd = THREADS.getCurrentThreadCpuTime();
            if (cpuStart >= 0 && cpuEnd >= cpuStart) {
                stats.totalCpuNanos.add(cpuEnd - cpuStart);
            }
            stats.pendingPairs = pairs.pending();
            followers.flushed(clock.getAsLong());
        }
    }

    private void collect() {
        for (LocalAggregator a : aggregators) {
            Batch b = a.take();
            for (FlushPart part : parts) {
                part.collect(b);
            }
            b.pairs.recycle();
            b.replies.recycle();
            a.giveBack(b);
        }
    }

    /** Writes part by part; a part the store does not take stops the flush, and what is left waits for the next. */
    private void write() {
        for (FlushPart part : parts) {
            part.write(clock.getAsLong(), WRITE_TIMEOUT_MILLIS);
        }
    }

    private void giveUpIfTooMuchPending() {
        for (FlushPart part : parts) {
            part.giveUpBeyondBound(this::gaveUp);
        }
    }

    private void gaveUp(String map, long entries, long messages) {
        stats.gaveUp(map, entries);
        if (messages > 0) {
            counters.dropped(DropReason.STORE_UNAVAILABLE, messages);
        }
        LOG.error(
                "The store has not taken updates for too long; gave up {} pending entries of {}{}",
                entries,
                map,
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
