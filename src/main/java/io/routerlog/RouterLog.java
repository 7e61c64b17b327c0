package io.routerlog;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.routerlog.aggregate.Flusher;
import io.routerlog.aggregate.LocalAggregator;
import io.routerlog.config.Settings;
import io.routerlog.config.Units;
import io.routerlog.config.TlsFiles;
import io.routerlog.export.BasicAuth;
import io.routerlog.export.ClientTables;
import io.routerlog.export.DhcpIdentitiesCollector;
import io.routerlog.export.DnsPairsCollector;
import io.routerlog.export.DnsRepliesCollector;
import io.routerlog.export.TunnelCollector;
import io.routerlog.export.HttpEndpoints;
import io.routerlog.export.ReceiverCollector;
import io.routerlog.export.StoreCollector;
import io.routerlog.syslog.FrameSink;
import io.routerlog.geoip.GeoIp;
import io.routerlog.event.EventSink;
import io.routerlog.export.LabelCountsCollector;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.FirewallLogParser;
import io.routerlog.parser.HaproxyLogParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.source.LeasesFileWatcher;
import io.routerlog.source.ListenerSettings;
import io.routerlog.source.SyslogListeners;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import io.routerlog.syslog.SyslogFrameParser;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One routerlog node: wires the stages together, starts them in order and stops them in the reverse order, so
 * that a clean shutdown stops receiving, flushes every count to the store and only then leaves the cluster.
 */
public final class RouterLog implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RouterLog.class);
    private static final long LEASES_CHECK_MILLIS = 5_000;

    private final Settings settings;
    private final PipelineCounters counters = new PipelineCounters();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ClientAnonymizer anonymizer;
    private GeoIp geoIp;
    private Store store;
    private Flusher flusher;
    private HttpEndpoints http;
    private volatile SyslogListeners listeners;
    private LeasesFileWatcher leases;
    private io.routerlog.source.PacketCapture capture;
    private final io.routerlog.stats.PacketCounters packetCounters = new io.routerlog.stats.PacketCounters();
    /** False for a node that only ingests packet files: no syslog listeners, lease file or live capture. */
    private final boolean receive;
    private final boolean serveHttp;
    private volatile boolean ready;
    private boolean closed;

    private RouterLog(Settings settings, boolean receive, boolean serveHttp) {
        this.settings = settings;
        this.receive = receive;
        this.serveHttp = serveHttp;
        this.anonymizer = new ClientAnonymizer(settings.anonymizeClients(), settings.anonymizeKey() == null ? null
                : settings.anonymizeKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Starts a node; returns once it receives syslog and serves metrics. */
    public static RouterLog start(Settings settings) throws Exception {
        return start(new RouterLog(settings, true, true));
    }

    /**
     * Starts a node that only takes packets from {@link #newPacketReader()} (for {@code routerlog ingest}): the
     * store (joining the cluster when one is configured) and the flusher, and {@code /metrics} only when
     * {@code serveHttp}; no syslog listener, lease file or live capture.
     */
    public static RouterLog startForIngest(Settings settings, boolean serveHttp) throws Exception {
        return start(new RouterLog(settings, false, serveHttp));
    }

    private static RouterLog start(RouterLog node) throws Exception {
        try {
            node.startAll();
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        long t0 = System.nanoTime();
        geoIp = GeoIp.open(settings.geoipCountryDb(), settings.geoipAsnDb());
        store = Store.start(new StoreSettings(settings.maxPairs(), settings.maxLeases(), settings.maxDnsttSessions(),
                settings.retention(), settings.backupCount(), settings.cluster(), settings.maxLogSeries()), !receive);
        flusher = new Flusher(store, counters, settings.flushInterval(), batchCapacity(settings),
                System::currentTimeMillis)
                .withTunnels(settings.dnsttDomains(), settings.dnsttActiveWindow(), geoIp);
        flusher.start();

        PrometheusRegistry registry = new PrometheusRegistry();
        List<io.routerlog.export.StreamedCollector> streamed = new java.util.ArrayList<>();
        streamed.add(new DnsPairsCollector(store.pairs()));
        registry.register(new DnsRepliesCollector(store.replies()));
        registry.register(new DhcpIdentitiesCollector(store.identities()));
        registry.register(new ReceiverCollector(counters, () -> listeners == null ? null : listeners.connections(),
                () -> listeners == null ? 0 : listeners.udpReceiveBuffer()));
        registry.register(new StoreCollector(store, flusher.stats()));
        streamed.add(new LabelCountsCollector("routerlog_firewall_packets", "Packets logged by firewall LOG "
                + "rules (kernel: ... IN=... SRC=...), per rule prefix, source, destination, protocol and destination "
                + "port; bounded by --max-log-series", List.of("prefix", "src", "dst", "proto", "dport"),
                store.firewall()));
        streamed.add(new LabelCountsCollector("routerlog_http_requests", "HTTP requests logged by HAProxy "
                + "(option httplog), per client address, frontend, backend and status; bounded by --max-log-series",
                List.of("client", "frontend", "backend", "status"), store.http()));
        streamed.add(new LabelCountsCollector("routerlog_dns_long_names", "Queries for names longer than the 253 "
                + "characters of a DNS name, per client and the suffix stored for them (registrable domain, else last "
                + "two labels); they count in routerlog_dns_queries_total under that suffix too; bounded by "
                + "--max-log-series", List.of("client", "domain"), store.longNames()));
        if (!settings.dnsttDomains().isEmpty()) {
            registry.register(new TunnelCollector(store.tunnels(), settings.dnsttDomains(), geoIp.hasCountries(),
                    geoIp.hasAsns(), settings.dnsttActiveWindow(), System::currentTimeMillis));
        }
        registry.register(() -> new MetricSnapshots(InfoSnapshot.builder().name("routerlog_build")
                .help("routerlog's version; always 1")
                .dataPoint(new InfoSnapshot.InfoDataPointSnapshot(Labels.of("version", VersionInfo.version())))
                .build()));
        registry.register(this::packetMetrics);
        JvmMetrics.builder().register(registry);
        if (serveHttp) {
            startHttp(new io.routerlog.export.MetricsExposition(registry, streamed));
        }
        if (receive) {
            startReceiving();
        }
        ready = true;
        LOG.info("routerlog {} ready in {} ms: max {} pairs kept {}, flushed every {}{}, {}", VersionInfo.version(),
                (System.nanoTime() - t0) / 1_000_000, store.pairCapacity(), Units.format(settings.retention()),
                Units.format(settings.flushInterval()),
                settings.dnsttDomains().isEmpty() ? "" : ", DNSTT domains " + settings.dnsttDomains(),
                settings.cluster().clustered() ? "cluster '" + settings.cluster().name() + "' of "
                        + store.clusterSize() + " member(s)" : "single node");
    }

    private void startHttp(io.routerlog.export.MetricsExposition metrics) throws Exception {
        ClientTables tables = new ClientTables(store.pairs(), store.identities());
        http = HttpEndpoints.start(new InetSocketAddress(settings.httpAddress(), settings.httpPort()), metrics,
                () -> ready && store.isRunning(), List.of(
                        new HttpEndpoints.Table("/clients.csv", "text/csv; charset=utf-8", tables::csv),
                        new HttpEndpoints.Table("/clients.tsv", "text/tab-separated-values; charset=utf-8",
                                tables::tsv)),
                settings.httpTls() ? TlsFiles.serverContext(settings.tlsCert(), settings.tlsKey()) : null,
                settings.httpUser() == null ? null : new BasicAuth(settings.httpUser(), settings.httpPasswordHash()),
                HttpEndpoints.Limits.DEFAULT);
    }

    private void startReceiving() throws Exception {
        ThreadLocal<FrameSink> perThread = ThreadLocal.withInitial(this::newReceivePipeline);
        listeners = SyslogListeners.start(new ListenerSettings(settings.listenAddress(), settings.syslogPort(),
                settings.syslogTransports().contains(io.routerlog.stats.Transport.UDP),
                settings.syslogTransports().contains(io.routerlog.stats.Transport.TCP),
                settings.maxFrame(), settings.maxBuffered(), settings.udpReceiveBuffer(), settings.ioThreads(),
                settings.allowFrom(),
                settings.maxConnections(), settings.maxConnectionsPerSender(), settings.idleTimeout(),
                settings.frameTimeout(), Math.max(0, settings.syslogTlsPort()),
                syslogTls()), perThread::get, counters);
        if (settings.leasesFile() != null) {
            leases = new LeasesFileWatcher(settings.leasesFile(), rules(flusher.newAggregator()),
                    System::currentTimeMillis)
                    .start(LEASES_CHECK_MILLIS);
        }
        if (settings.captureInterface() != null) {
            capture = io.routerlog.source.PacketCapture.start(TCPDUMP, settings.captureInterface(),
                    settings.capturePort(), newPacketReader(), packetCounters);
        }
    }

    /** {@code routerlog_packets_total{result}}: what live capture (or an ingest node) read, once it read any. */
    private MetricSnapshots packetMetrics() {
        io.routerlog.stats.PacketCounters c = packetCounters;
        if (c.packets.sum() == 0 && capture == null) {
            return new MetricSnapshots();
        }
        io.prometheus.metrics.model.snapshots.CounterSnapshot.Builder b =
                io.prometheus.metrics.model.snapshots.CounterSnapshot.builder().name("routerlog_packets")
                        .help("Captured packets by what became of them: query and response (DNS messages counted), "
                                + "not_dns, tcp_incomplete (a DNS message split over TCP segments) and malformed");
        java.util.Map<String, Long> v = new java.util.LinkedHashMap<>();
        v.put("query", c.queries.sum());
        v.put("response", c.responses.sum());
        v.put("not_dns", c.notDns.sum());
        v.put("tcp_incomplete", c.tcpIncomplete.sum());
        v.put("malformed", c.malformed.sum());
        v.forEach((k, n) -> b.dataPoint(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot
                .builder().labels(Labels.of("result", k)).value(n).build()));
        return new MetricSnapshots(b.build());
    }

    /** The tcpdump program of live capture ({@code routerlog.tcpdump} system property, for tests). */
    private static final String TCPDUMP = System.getProperty("routerlog.tcpdump", "tcpdump");

    /**
     * A packet reader whose DNS messages are counted like query log lines, through a local aggregator of its own.
     * One per reading thread. Reading waits while the aggregator's batch is nearly full until the flusher has
     * taken it (like a TCP syslog connection), so a file read faster than a flush interval loses nothing.
     */
    public io.routerlog.source.PcapReader newPacketReader() {
        LocalAggregator aggregator = flusher.newAggregator();
        return new io.routerlog.source.PcapReader(new io.routerlog.parser.DnsPacketParser(rules(aggregator),
                packetCounters), packetCounters, settings.capturePort())
                .afterMessage(() -> {
                    if (aggregator.nearlyFull()) {
                        CountDownLatch taken = new CountDownLatch(1);
                        aggregator.whenTaken(taken::countDown);
                        try {
                            taken.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
    }

    /** What the packet readers of this node have read. */
    public io.routerlog.stats.PacketCounters packetCounters() {
        return packetCounters;
    }

    /** The TLS context of the TLS syslog listener, or null without one. */
    private io.netty.handler.ssl.SslContext syslogTls() {
        if (settings.syslogTlsPort() < 0) {
            return null;
        }
        return TlsFiles.nettyServerContext(settings.tlsCert(), settings.tlsKey(), settings.tlsClientCa());
    }

    /**
     * The stages after the socket for one receive thread: syslog parse, the parsers, the rules, local aggregation.
     */
    private FrameSink newReceivePipeline() {
        LocalAggregator aggregator = flusher.newAggregator();
        EventSink rules = rules(aggregator);
        MessageRouter router = new MessageRouter(counters.programs().local(),
                new DnsmasqParser(rules, counters, System::currentTimeMillis),
                new FirewallLogParser(rules, counters), new HaproxyLogParser(rules, counters));
        return new ReceivePipeline(new SyslogFrameParser(router, counters), aggregator);
    }

    /** The rules every source's events go through on their way to {@code aggregator} (one per reading thread). */
    private Rules rules(LocalAggregator aggregator) {
        return new Rules(settings.ignoreDomains(), settings.dnsttDomains(), anonymizer, counters, aggregator);
    }

    /** Distinct pairs one receive thread may collect between two flushes. */
    static int batchCapacity(Settings s) {
        return Math.max(4096, s.maxPairs());
    }

    public int syslogPort() {
        return listeners.port();
    }

    /** Port of the TLS syslog listener, 0 without one. */
    public int syslogTlsPort() {
        return listeners.tlsPort();
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
        org.apache.logging.log4j.Level level = ready ? org.apache.logging.log4j.Level.INFO
                : org.apache.logging.log4j.Level.DEBUG;
        ready = false;
        LOG.log(level, "Stopping: closing listeners, flushing counts");
        if (listeners != null) {
            try {
                listeners.close(settings.shutdownGrace());
            } catch (RuntimeException e) {
                LOG.warn("Error while closing the listeners: {}", e.toString());
            }
        }
        closeQuietly(capture);
        closeQuietly(leases);
        closeQuietly(flusher);
        closeQuietly(http);
        closeQuietly(store);
        closeQuietly(geoIp);
        LOG.log(level, "Stopped");
        stopped.countDown();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
