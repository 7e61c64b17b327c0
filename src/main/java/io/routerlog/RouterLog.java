package io.routerlog;

import io.netty.handler.ssl.SslContext;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.routerlog.aggregate.Flusher;
import io.routerlog.aggregate.LocalAggregator;
import io.routerlog.config.FileReasons;
import io.routerlog.config.Units;
import io.routerlog.event.EventSink;
import io.routerlog.export.ApiEndpoints;
import io.routerlog.export.BasicAuth;
import io.routerlog.export.BuildInfoCollector;
import io.routerlog.export.ClientTables;
import io.routerlog.export.DhcpIdentitiesCollector;
import io.routerlog.export.DnsPairsCollector;
import io.routerlog.export.DnsRepliesCollector;
import io.routerlog.export.HttpEndpoints;
import io.routerlog.export.HttpSettings;
import io.routerlog.export.LabelCountsCollector;
import io.routerlog.export.MetricsExposition;
import io.routerlog.export.PacketsCollector;
import io.routerlog.export.ReceiverCollector;
import io.routerlog.export.StoreCollector;
import io.routerlog.export.StreamedCollector;
import io.routerlog.export.SuspectCollector;
import io.routerlog.export.TunnelCollector;
import io.routerlog.geoip.GeoIp;
import io.routerlog.parser.DnsPacketParser;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.FirewallLogParser;
import io.routerlog.parser.HaproxyLogParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.source.LeasesFileWatcher;
import io.routerlog.source.PacketCapture;
import io.routerlog.source.PcapReader;
import io.routerlog.source.SyslogListeners;
import io.routerlog.source.WaitForRoom;
import io.routerlog.stats.PacketCounters;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.Store;
import io.routerlog.syslog.FrameSink;
import io.routerlog.syslog.SyslogFrameParser;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One routerlog node: an ordered list of {@link Component}s, started in order and closed in the reverse order, so
 * that a clean shutdown stops receiving, flushes every count to the store and only then leaves the cluster.
 *
 * <p>The order: the TLS and lease files (read first, so that a bad one stops the node before anything started),
 * GeoIP databases, store, HTTP, flusher, then the inputs (lease file, live capture, syslog
 * listeners), then ready; so a stop closes the listeners first, flushes once every input has stopped, then stops
 * HTTP and leaves the cluster. A node of {@code routerlog ingest} has no inputs of its
 * own (it reads files through {@link #newPacketReader()}) and HTTP only when asked for.
 */
public final class RouterLog implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RouterLog.class);
    private static final long LEASES_CHECK_MILLIS = 5_000;

    /** The tcpdump program of live capture ({@code routerlog.tcpdump} system property, for tests). */
    private static final String TCPDUMP = System.getProperty("routerlog.tcpdump", "tcpdump");

    private final Settings settings;
    private final PipelineCounters counters = new PipelineCounters();
    private final PacketCounters packetCounters = new PacketCounters();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ClientAnonymizer anonymizer;
    private final List<Component> components = new ArrayList<>();
    private final Deque<Component> started = new ArrayDeque<>();
    // each set by its component's start, and used by the components after it
    private @Nullable SslContext syslogTls;
    private @Nullable SSLContext httpTls;

    @SuppressWarnings("NullAway.Init") // set by the start of the GeoIp component, before anything reads it
    private GeoIp geoIp;

    @SuppressWarnings("NullAway.Init") // set by the start of the Store component, before any component uses it
    private Store store;

    @SuppressWarnings("NullAway.Init") // set by the start of the Store component, before any component uses it
    private Flusher flusher;

    @SuppressWarnings("NullAway.Init") // set by the start of HttpEndpoints; a node without it never reads it
    private HttpEndpoints http;

    /** Null until they start, and in a node for ingest; scrapes read it before then. */
    private volatile @Nullable SyslogListeners listeners;
    /** The node captures live: its packet counts are shown from the start. */
    private final boolean capturing;

    private volatile boolean ready;
    private boolean closed;

    /**
     * @param receive   open the node's own inputs: syslog listeners, lease file, live capture
     * @param serveHttp serve the HTTP endpoints
     */
    private RouterLog(Settings settings, boolean receive, boolean serveHttp) {
        this.settings = settings;
        this.anonymizer = settings.rules().anonymizer();
        this.capturing = receive && settings.capture().iface().isPresent();
        components.add(Component.of("Files", () -> readFiles(receive, serveHttp), () -> {}));
        components.add(Component.of("GeoIp", () -> geoIp = settings.geoIp().open(), () -> geoIp.close()));
        components.add(Component.of("Store", () -> startStore(!receive), () -> store.close()));
        if (serveHttp) {
            components.add(Component.of("HttpEndpoints", this::startHttp, () -> http.close()));
        }
        components.add(Component.of("Flusher", () -> flusher.start(), () -> flusher.close()));
        if (receive) {
            settings.leases().file().ifPresent(file -> components.add(leasesWatcher(file)));
            settings.capture().iface().ifPresent(iface -> components.add(capture(iface)));
            components.add(Component.of("SyslogListeners", this::startListeners, this::closeListeners));
        }
    }

    /**
     * Reads the TLS files and checks the lease file before anything starts, so that a file that cannot be used
     * stops the node at once, with nothing to undo (the GeoIP databases are read by the next component).
     */
    private void readFiles(boolean receive, boolean serveHttp) {
        if (receive && settings.syslog().tlsPort().isPresent()) {
            syslogTls = settings.tls().syslogContext();
        }
        if (serveHttp && settings.http().tls()) {
            httpTls = settings.tls().httpContext();
        }
        if (receive) {
            settings.leases().file().ifPresent(file -> FileReasons.requireReadable("--leases-file", file));
        }
    }

    /** Starts a node; returns once it receives syslog and serves metrics. */
    public static RouterLog start(Settings settings) throws Exception {
        return start(create(settings));
    }

    /**
     * A node that has not started: whoever must stop it (a shutdown hook, say) can hold it before {@link
     * #start(RouterLog)}, so that a stop that comes while it starts still finds it.
     */
    public static RouterLog create(Settings settings) {
        return new RouterLog(settings, true, true);
    }

    /**
     * Starts a node that only takes packets from {@link #newPacketReader()} (for {@code routerlog ingest}): the
     * store (joining the cluster when one is configured) and the flusher, and {@code /metrics} only when
     * {@code serveHttp}; no syslog listener, lease file or live capture.
     */
    public static RouterLog startForIngest(Settings settings, boolean serveHttp) throws Exception {
        return start(new RouterLog(settings, false, serveHttp));
    }

    /**
     * Starts {@code node}; returns once it receives syslog and serves metrics. A {@link #close()} that comes
     * meanwhile waits for the start to end, then stops what started; a node closed before it starts stays stopped.
     */
    public static RouterLog start(RouterLog node) throws Exception {
        synchronized (node) {
            if (node.closed) {
                throw new IllegalStateException("stopped before it started");
            }
            try {
                node.startAll();
                return node;
            } catch (Exception | Error e) {
                node.close();
                throw e;
            }
        }
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        for (Component c : components) {
            c.start();
            started.push(c);
        }
        ready = true;
        List<String> dnstt = settings.rules().dnsttDomains();
        LOG.info(
                "routerlog {} ready in {} ms: max {} pairs kept {}, flushed every {}{}, {}",
                VersionInfo.version(),
                (System.nanoTime() - t0) / 1_000_000,
                store.pairCapacity(),
                Units.format(settings.store().retention()),
                Units.format(settings.flush().interval()),
                dnstt.isEmpty() ? "" : ", DNSTT domains " + dnstt,
                settings.store().cluster().clustered()
                        ? "cluster '" + settings.store().cluster().name() + "' of " + store.clusterSize() + " member(s)"
                        : "single node");
    }

    /**
     * Starts the store member and builds the flusher that writes into it; the flusher's thread starts after HTTP
     * (which reports its stats), so that its final flush runs once every input has stopped and while
     * {@code /metrics} still answers.
     */
    private void startStore(boolean ingest) {
        store = Store.start(settings.store(), ingest);
        flusher = new Flusher(
                        store,
                        counters,
                        settings.flush().interval(),
                        Flusher.batchCapacity(settings.store().maxPairs()),
                        System::currentTimeMillis)
                .withTunnels(settings.rules().dnsttDomains(), settings.flush().dnsttActiveWindow(), geoIp)
                .withDetection(settings.detect(), settings.store().retention());
    }

    private void startHttp() throws Exception {
        HttpSettings s = settings.http();
        ClientTables tables = new ClientTables(store.pairs(), store.identities());
        http = HttpEndpoints.start(
                new InetSocketAddress(s.address(), s.port()),
                metrics(),
                () -> ready && store.isRunning(),
                List.of(
                        new HttpEndpoints.Table("/clients.csv", "text/csv; charset=utf-8", tables::csv),
                        new HttpEndpoints.Table(
                                "/clients.tsv", "text/tab-separated-values; charset=utf-8", tables::tsv)),
                httpTls,
                s.login().map(l -> new BasicAuth(l.user(), l.passwordHash())).orElse(null),
                HttpEndpoints.Limits.DEFAULT,
                new ApiEndpoints(
                                store,
                                settings.rules().dnsttDomains(),
                                settings.flush().dnsttActiveWindow(),
                                VersionInfo.version(),
                                settings.detect(),
                                System::currentTimeMillis)
                        .withNode(counters, flusher.stats())
                        .start());
    }

    /** Every metric family of {@code /metrics}: the small ones in a registry, then the streamed ones. */
    private MetricsExposition metrics() {
        PrometheusRegistry registry = new PrometheusRegistry();
        List<StreamedCollector> streamed = new ArrayList<>();
        streamed.add(new DnsPairsCollector(store.pairs()));
        registry.register(new DnsRepliesCollector(store.replies()));
        registry.register(new DhcpIdentitiesCollector(store.identities()));
        registry.register(new ReceiverCollector(
                counters,
                () -> listeners == null ? null : listeners.connections(),
                () -> listeners == null ? 0 : listeners.udpReceiveBuffer()));
        registry.register(new StoreCollector(store, flusher.stats()));
        streamed.add(LabelCountsCollector.firewallPackets(store.firewall()));
        streamed.add(LabelCountsCollector.httpRequests(store.http()));
        streamed.add(LabelCountsCollector.longNames(store.longNames()));
        List<String> dnstt = settings.rules().dnsttDomains();
        if (!dnstt.isEmpty()) {
            registry.register(new TunnelCollector(
                    store.tunnels(),
                    dnstt,
                    geoIp.hasCountries(),
                    geoIp.hasAsns(),
                    settings.flush().dnsttActiveWindow(),
                    System::currentTimeMillis));
        }
        registry.register(new SuspectCollector(store.suspects(), settings.detect(), System::currentTimeMillis));
        registry.register(new BuildInfoCollector(VersionInfo.version()));
        registry.register(new PacketsCollector(packetCounters, capturing));
        JvmMetrics.builder().register(registry);
        return new MetricsExposition(registry, streamed);
    }

    private Component leasesWatcher(Path file) {
        LeasesFileWatcher[] watcher = new LeasesFileWatcher[1];
        return Component.of(
                "LeasesFileWatcher",
                () -> {
                    watcher[0] = new LeasesFileWatcher(
                                    file,
                                    settings.leases().router(),
                                    rules(flusher.newAggregator()),
                                    System::currentTimeMillis)
                            .start(LEASES_CHECK_MILLIS);
                },
                () -> watcher[0].close());
    }

    private Component capture(String iface) {
        PacketCapture[] capture = new PacketCapture[1];
        return Component.of(
                "PacketCapture",
                () -> capture[0] = PacketCapture.start(
                        TCPDUMP, iface, settings.capture().port(), newPacketReader(), packetCounters),
                () -> capture[0].close());
    }

    private void startListeners() throws Exception {
        ThreadLocal<FrameSink> perThread = ThreadLocal.withInitial(this::newReceiveSink);
        listeners = SyslogListeners.start(settings.syslog(), syslogTls, perThread::get, counters);
    }

    private void closeListeners() {
        try {
            startedListeners().close(settings.syslog().shutdownGrace());
        } catch (RuntimeException e) {
            LOG.warn("Error while closing the listeners: {}", e.toString());
        }
    }

    /**
     * A packet reader whose DNS messages are counted like query log lines, through a local aggregator of its own.
     * One per reading thread. Reading waits while the aggregator's batch is nearly full until the flusher has
     * taken it (like a TCP syslog connection), so a file read faster than a flush interval loses nothing.
     */
    public PcapReader newPacketReader() {
        LocalAggregator aggregator = flusher.newAggregator();
        return new PcapReader(
                        new DnsPacketParser(rules(aggregator), packetCounters),
                        packetCounters,
                        settings.capture().port())
                .afterMessage(WaitForRoom.after(aggregator::nearlyFull, aggregator::whenTaken));
    }

    /** What the packet readers of this node have read. */
    public PacketCounters packetCounters() {
        return packetCounters;
    }

    /**
     * The stages after the socket for one receive thread: syslog parse, the parsers, the rules, local aggregation.
     */
    private FrameSink newReceiveSink() {
        LocalAggregator aggregator = flusher.newAggregator();
        EventSink rules = rules(aggregator);
        MessageRouter router = new MessageRouter(
                counters.programs().local(),
                new DnsmasqParser(rules, counters, System::currentTimeMillis),
                new FirewallLogParser(rules, counters),
                new HaproxyLogParser(rules, counters),
                settings.syslog().routerFromSender());
        return new BackPressureSink(new SyslogFrameParser(router, counters), aggregator);
    }

    /** The rules every source's events go through on their way to {@code aggregator} (one per reading thread). */
    private Rules rules(LocalAggregator aggregator) {
        return new Rules(
                settings.rules().ignoreDomains(), settings.rules().dnsttDomains(), anonymizer, counters, aggregator);
    }

    public int syslogPort() {
        return startedListeners().port();
    }

    /** Port of the TLS syslog listener, 0 without one. */
    public int syslogTlsPort() {
        return startedListeners().tlsPort();
    }

    private SyslogListeners startedListeners() {
        SyslogListeners l = listeners;
        if (l == null) {
            throw new IllegalStateException("the syslog listeners have not started");
        }
        return l;
    }

    public int httpPort() {
        return http.port();
    }

    public PipelineCounters counters() {
        return counters;
    }

    public Store store() {
        return store;
    }

    /** Writes everything counted so far to the store (tests and tools). */
    public void flush() {
        SyslogListeners l = listeners;
        if (l != null) {
            l.awaitReceiveThreads(); // a message counted as received is then also counted into its batch
        }
        flusher.flushNow();
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // after a failed start (never ready) the reason is all the user needs to read
        Level level = ready ? Level.INFO : Level.DEBUG;
        ready = false;
        LOG.log(level, "Stopping: closing listeners, flushing counts");
        while (!started.isEmpty()) {
            Component c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", c.name(), e.toString());
            }
        }
        LOG.log(level, "Stopped");
        stopped.countDown();
    }
}
