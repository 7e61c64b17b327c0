package io.routerlog.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.routerlog.aggregate.FlushStats;
import io.routerlog.detect.DetectSettings;
import io.routerlog.event.ReplyOutcome;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.store.ActivityMap;
import io.routerlog.store.ClientKey;
import io.routerlog.store.ClientSeen;
import io.routerlog.store.DhcpIdentity;
import io.routerlog.store.LabelValuesKey;
import io.routerlog.store.LoggedQuery;
import io.routerlog.store.PairFilter;
import io.routerlog.store.PairQueries;
import io.routerlog.store.QueryLog;
import io.routerlog.store.QueryLogFilter;
import io.routerlog.store.QueryLogPage;
import io.routerlog.store.Store;
import io.routerlog.store.Suspect;
import io.routerlog.store.TunnelCounterKey;
import io.routerlog.store.TunnelLabels;
import io.routerlog.store.TunnelSessionCounts;
import io.routerlog.store.TunnelSessionKey;
import io.routerlog.store.TunnelStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The JSON query API under {@value #PREFIX}: top domains and clients, one client, the query log, DNSTT sessions, a
 * summary, queries per minute, the overview of the web page, firewall and HAProxy top talkers, each the same
 * whole-cluster answer on every node (aggregations run where the pairs live, see {@link PairQueries}); only
 * {@code /cluster} adds what the asked node knows of itself. Mounted by {@link HttpEndpoints}, behind its TLS and
 * basic authentication; docs/API.md describes every path, parameter and field.
 */
public final class ApiEndpoints implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ApiEndpoints.class);
    static final String PREFIX = "/api/v1";
    static final String JSON = "application/json; charset=utf-8";
    static final int DEFAULT_TOP = 10;
    static final int DEFAULT_CLIENT_DOMAINS = 100;
    static final int DEFAULT_QUERIES = 100;
    static final int DEFAULT_SUSPECTS = 100;
    static final int DEFAULT_ACTIVITY_MINUTES = 180;
    /** How often this node samples the cluster's query total for the query rate. */
    static final long RATE_SAMPLE_MILLIS = 15_000;
    /** Threads for the rate sample and for the reads that run beside an answer's aggregation. */
    private static final int SIDE_THREADS = 2;

    private final Store store;
    private final List<String> dnsttDomains;
    private final Duration dnsttWindow;
    private final String version;
    private final DetectSettings detect;
    private final LongSupplier clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final QueryRate rate = new QueryRate();
    /** Samples the query rate and runs the reads an answer makes beside its main aggregation. */
    private final ScheduledExecutorService sideThreads;

    private volatile @Nullable PipelineCounters counters;
    private volatile @Nullable FlushStats flushes;

    /**
     * @param dnsttDomains the DNSTT domains ({@code --dnstt-domain}); listed with zeros until they have sessions
     * @param dnsttWindow  how recent a session's last query must be for it to count as active
     * @param version      the version the summary reports
     * @param detect       the window and threshold of tunnel detection
     */
    public ApiEndpoints(
            Store store,
            List<String> dnsttDomains,
            Duration dnsttWindow,
            String version,
            DetectSettings detect,
            LongSupplier clock) {
        this.store = store;
        this.dnsttDomains = List.copyOf(dnsttDomains);
        this.dnsttWindow = dnsttWindow;
        this.version = version;
        this.detect = detect;
        this.clock = clock;
        this.sideThreads = Executors.newScheduledThreadPool(SIDE_THREADS, r -> {
            Thread t = new Thread(r, "routerlog-api-reads");
            t.setDaemon(true);
            return t;
        });
    }

    /** Also reports this node's drops and flushes ({@code /api/v1/cluster}). */
    public ApiEndpoints withNode(PipelineCounters counters, FlushStats flushes) {
        this.counters = counters;
        this.flushes = flushes;
        return this;
    }

    /** Starts sampling the query total for the summary's query rate. */
    public ApiEndpoints start() {
        // runs until close(); sampleRate catches what a sample throws, so the future never fails
        var unused = sideThreads.scheduleWithFixedDelay(this::sampleRate, 0, RATE_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sampleRate() {
        try {
            if (store.isRunning()) {
                rate.record(clock.getAsLong(), store.queries().totals().queries());
            }
        } catch (RuntimeException e) {
            LOG.debug("Query rate sample failed: {}", e.toString());
        }
    }

    /** Adds the API's routes and its JSON mapper to the HTTP server's configuration. */
    void mount(JavalinConfig config) {
        config.jsonMapper(new JavalinJackson(mapper, false));
        config.routes.get(PREFIX + "/top/domains", this::topDomains);
        config.routes.get(PREFIX + "/top/clients", this::topClients);
        config.routes.get(PREFIX + "/clients/{client}", this::client);
        config.routes.get(PREFIX + "/dnstt/sessions", this::tunnels);
        config.routes.get(PREFIX + "/dnstt/sessions/recent", this::recentSessions);
        config.routes.get(PREFIX + "/queries", this::queries);
        config.routes.get(PREFIX + "/summary", this::summary);
        config.routes.get(PREFIX + "/suspects", this::suspects);
        config.routes.get(PREFIX + "/activity", this::activity);
        config.routes.get(PREFIX + "/overview", this::overview);
        config.routes.get(PREFIX + "/cluster", this::cluster);
        config.routes.get(PREFIX + "/top/firewall", this::topFirewall);
        config.routes.get(PREFIX + "/top/http", this::topHttp);
    }

    /** True for the paths whose errors the API answers in JSON. */
    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Marks a response whose error the API has answered, so the server's error pages leave it as it is. */
    private static final String ANSWERED = "routerlog.api.answered";

    /** Answers {@code {"error": message}} with {@code status}. */
    static void error(Context ctx, int status, String message) {
        ctx.attribute(ANSWERED, true);
        ctx.status(status).json(new ApiJson.Failure(message)).contentType(JSON);
    }

    /** True when a handler of the API has answered this request with an error already. */
    static boolean answered(Context ctx) {
        return ctx.attribute(ANSWERED) != null;
    }

    private static void answer(Context ctx, Object body) {
        ctx.json(body).contentType(JSON);
    }

    private void topDomains(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit", "client", "router", "outcome"));
        String outcome = p.has("outcome") ? outcome(ctx.queryParam("outcome")) : null;
        int limit = p.limit(DEFAULT_TOP);
        PairFilter filter = new PairFilter(p.router(), p.client(), null);
        List<PairQueries.DomainCount> top = outcome == null
                ? store.queries().topDomains(filter, limit)
                : store.queries().topDomainsByOutcome(filter, outcome, limit);
        List<ApiJson.Domain> items = new ArrayList<>();
        for (PairQueries.DomainCount d : top) {
            items.add(new ApiJson.Domain(d.domain(), d.queries(), d.clients()));
        }
        answer(ctx, new ApiJson.Items<>(items));
    }

    /** An outcome label, as the metrics' {@code outcome} label spells it. */
    private static String outcome(@Nullable String value) {
        String v = value == null ? "" : value;
        for (ReplyOutcome o : ReplyOutcome.values()) {
            if (o.label().equals(v)) {
                return v;
            }
        }
        List<String> labels = new ArrayList<>();
        for (ReplyOutcome o : ReplyOutcome.values()) {
            labels.add(o.label());
        }
        throw new ApiParameters.BadParameter(
                "outcome must be one of " + String.join(", ", labels) + ": " + ApiParameters.shown(v));
    }

    private void topClients(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit", "domain", "router"));
        int limit = p.limit(DEFAULT_TOP);
        PairFilter filter = new PairFilter(p.router(), null, p.domain());
        List<PairQueries.ClientCount> top = store.queries().topClients(filter, limit);
        answer(ctx, new ApiJson.Items<>(clients(top)));
    }

    /** The clients with their DHCP identities and when they were last seen. */
    private List<ApiJson.Client> clients(List<PairQueries.ClientCount> top) {
        Set<ClientKey> keys = new HashSet<>();
        top.forEach(c -> keys.add(new ClientKey(c.router(), c.client())));
        CompletableFuture<Map<ClientKey, ClientSeen>> seenRead =
                beside(() -> store.seen().getAll(keys));
        Map<ClientKey, DhcpIdentity> ids = store.identities().getAll(keys);
        Map<ClientKey, ClientSeen> seen = seenRead.join();
        List<ApiJson.Client> items = new ArrayList<>();
        for (PairQueries.ClientCount c : top) {
            ClientKey key = new ClientKey(c.router(), c.client());
            DhcpIdentity id = ids.get(key);
            ClientSeen s = seen.get(key);
            items.add(new ApiJson.Client(
                    c.client(),
                    c.router(),
                    c.queries(),
                    c.domains(),
                    id == null ? null : id.mac(),
                    id == null ? null : id.hostname(),
                    s == null ? null : ApiJson.time(s.lastMillis())));
        }
        return items;
    }

    /** Queries per minute over the last {@code minutes}, the current minute last; see {@link ActivityMap}. */
    private void activity(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("minutes", "client", "router"));
        int minutes = p.minutes(DEFAULT_ACTIVITY_MINUTES, ActivityMap.maxMinutes());
        long from = Math.floorDiv(clock.getAsLong(), 60_000L) - minutes + 1;
        long[] series = store.activity().series(p.router(), p.client(), from, minutes);
        answer(ctx, new ApiJson.Activity(ApiJson.time(from * 60_000L), 60, series));
    }

    /** The firewall packet series with the most packets. */
    private void topFirewall(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit"));
        List<ApiJson.FirewallTalker> items = new ArrayList<>();
        for (Map.Entry<LabelValuesKey, Long> e : store.firewall().top(p.limit(DEFAULT_TOP))) {
            LabelValuesKey k = e.getKey();
            if (k.labelCount() == 5) {
                items.add(new ApiJson.FirewallTalker(
                        k.label(0), k.label(1), k.label(2), k.label(3), k.label(4), e.getValue()));
            }
        }
        answer(ctx, new ApiJson.Items<>(items));
    }

    /** The HAProxy request series with the most requests. */
    private void topHttp(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit"));
        List<ApiJson.HttpTalker> items = new ArrayList<>();
        for (Map.Entry<LabelValuesKey, Long> e : store.http().top(p.limit(DEFAULT_TOP))) {
            LabelValuesKey k = e.getKey();
            if (k.labelCount() == 4) {
                items.add(new ApiJson.HttpTalker(k.label(0), k.label(1), k.label(2), k.label(3), e.getValue()));
            }
        }
        answer(ctx, new ApiJson.Items<>(items));
    }

    /** The members, and this node's flushes and drops (as its /metrics has them). */
    private void cluster(Context ctx) {
        ApiParameters.parse(ctx.queryString(), Set.of());
        List<ApiJson.Member> members = new ArrayList<>();
        String self = "";
        for (Store.MemberInfo m : store.members()) {
            members.add(new ApiJson.Member(m.address(), m.local(), m.ingest()));
            if (m.local()) {
                self = m.address();
            }
        }
        Map<String, Long> drops = new TreeMap<>();
        PipelineCounters c = counters;
        if (c != null) {
            c.dropsByReason().forEach((reason, n) -> {
                if (n > 0) {
                    drops.put(reason.label(), n);
                }
            });
        }
        FlushStats f = flushes;
        answer(
                ctx,
                new ApiJson.Cluster(
                        members,
                        self,
                        f == null ? null : ApiJson.time(f.lastSuccessEpochMillis()),
                        f == null ? 0 : f.failures(),
                        drops));
    }

    private void client(Context ctx) {
        String client = ApiParameters.client(ctx.pathParam("client"));
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit", "router"));
        int limit = p.limit(DEFAULT_CLIENT_DOMAINS);
        String router = p.router();
        List<PairQueries.ClientDetail> found = store.queries().client(router, client, limit);
        if (found.isEmpty()) {
            error(
                    ctx,
                    404,
                    "no queries from " + ApiParameters.shown(client) + (router == null ? "" : " of router " + router)
                            + " are stored");
            return;
        }
        PairQueries.ClientDetail d = found.get(0);
        List<String> routers = new ArrayList<>();
        found.forEach(f -> routers.add(f.router()));
        DhcpIdentity id = store.identities().get(d.router(), client);
        ClientSeen seen = store.seen().get(d.router(), client);
        List<ApiJson.DomainQueries> domains = new ArrayList<>();
        d.domains().forEach(n -> domains.add(new ApiJson.DomainQueries(n.name(), n.queries())));
        answer(
                ctx,
                new ApiJson.ClientDetail(
                        client,
                        d.router(),
                        routers,
                        id == null ? null : id.mac(),
                        id == null ? null : id.hostname(),
                        d.queries(),
                        seen == null ? null : ApiJson.time(seen.firstMillis()),
                        seen == null ? null : ApiJson.time(seen.lastMillis()),
                        d.domainCount(),
                        domains,
                        d.qtypes(),
                        store.queries().clientOutcomes(d.router(), client)));
    }

    /** The newest entries of the query log that match, newest first; see {@link QueryLog#search}. */
    private void queries(Context ctx) {
        ApiParameters p = ApiParameters.parse(
                ctx.queryString(), Set.of("limit", "client", "domain", "qtype", "router", "before", "after"));
        int limit = p.limit(DEFAULT_QUERIES);
        QueryLogFilter filter = new QueryLogFilter(p.client(), p.router(), p.qtype(), p.namePart("domain"));
        QueryLogPage page;
        try {
            page = store.queryLog().search(filter, p.cursor("before"), p.cursor("after"), limit);
        } catch (IllegalArgumentException e) {
            throw new ApiParameters.BadParameter(String.valueOf(e.getMessage()));
        }
        List<ApiJson.Query> items = new ArrayList<>(page.items().size());
        for (LoggedQuery q : page.items()) {
            items.add(new ApiJson.Query(ApiJson.time(q.timeMillis()), q.router(), q.client(), q.domain(), q.qtype()));
        }
        answer(ctx, new ApiJson.Queries(items, page.next(), page.newest()));
    }

    /** The domains that look like tunnels within the window, highest score first (docs/DETECTION.md). */
    private void suspects(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit", "min_score", "client", "router"));
        int limit = p.limit(DEFAULT_SUSPECTS);
        double minScore = p.score("min_score", detect.threshold());
        String client = p.client();
        String router = p.router();
        List<ApiJson.Suspect> items = new ArrayList<>();
        for (Suspect s : store.suspects().search(detect.firstBucket(clock.getAsLong()), minScore)) {
            if (items.size() == limit) {
                break;
            }
            if ((client != null && !s.clients().contains(client))
                    || (router != null && !s.routers().contains(router))) {
                continue;
            }
            items.add(new ApiJson.Suspect(
                    s.domain(),
                    s.clients(),
                    s.routers(),
                    s.score(),
                    s.reasons(),
                    ApiJson.time(s.firstMillis()),
                    ApiJson.time(s.lastMillis()),
                    s.queries(),
                    s.bytes(),
                    s.names(),
                    s.unusual(),
                    s.nxdomain(),
                    s.unprintable()));
        }
        answer(ctx, new ApiJson.Suspects(items, detect.window().toSeconds(), detect.threshold()));
    }

    private void summary(Context ctx) {
        ApiParameters.parse(ctx.queryString(), Set.of());
        CompletableFuture<SummaryReads> reads = beside(this::summaryReads);
        PairQueries.Totals totals = store.queries().totals();
        answer(ctx, summary(totals, reads.join()));
    }

    /** The summary, the top domains and the top clients from one pass over the pairs. */
    private void overview(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit"));
        CompletableFuture<SummaryReads> reads = beside(this::summaryReads);
        PairQueries.Overview o = store.queries().overview(p.limit(DEFAULT_TOP));
        List<ApiJson.Domain> domains = new ArrayList<>();
        for (PairQueries.DomainCount d : o.domains()) {
            domains.add(new ApiJson.Domain(d.domain(), d.queries(), d.clients()));
        }
        List<ApiJson.Client> clients = clients(o.clients());
        answer(ctx, new ApiJson.Overview(summary(o.totals(), reads.join()), domains, clients));
    }

    /** What the summary reports besides the pairs' totals: small maps, read while the pairs are aggregated. */
    private record SummaryReads(Map<String, Long> outcomes, int identities, int sessions) {}

    private SummaryReads summaryReads() {
        Map<String, Long> outcomes = new TreeMap<>();
        for (ReplyOutcome o : ReplyOutcome.values()) {
            outcomes.put(o.label(), 0L);
        }
        store.replies().forEachAll(outcomes::put);
        return new SummaryReads(
                outcomes, store.identities().size(), store.tunnels().sessionCount());
    }

    private ApiJson.Summary summary(PairQueries.Totals totals, SummaryReads reads) {
        rate.record(clock.getAsLong(), totals.queries());
        QueryRate.Rate r = rate.rate();
        return new ApiJson.Summary(
                version,
                store.clusterSize(),
                totals.queries(),
                totals.pairs(),
                store.pairCapacity(),
                totals.clients(),
                reads.outcomes(),
                reads.identities(),
                reads.sessions(),
                new ApiJson.QueryRate(r == null ? null : r.perSecond(), r == null ? null : r.seconds()));
    }

    /**
     * Starts {@code read} on a side thread, so that a request's small cluster reads wait on the network beside its
     * main aggregation rather than after it. What the read throws reaches the request as the cause of the
     * {@code CompletionException} that {@code join} throws: an error answer, as if the read had failed on the
     * request's own thread.
     */
    private <T> CompletableFuture<T> beside(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, sideThreads);
    }

    /** The sessions seen last, one item per session. */
    private void recentSessions(Context ctx) {
        ApiParameters p = ApiParameters.parse(ctx.queryString(), Set.of("limit"));
        long cutoff = clock.getAsLong() - dnsttWindow.toMillis();
        List<ApiJson.Session> items = new ArrayList<>();
        List<TunnelStore.SessionInfo> recent = store.tunnels().recentSessions(p.limit(DEFAULT_QUERIES));
        List<TunnelSessionKey> keys = new ArrayList<>();
        recent.forEach(s -> keys.add(s.key()));
        Map<TunnelSessionKey, long[]> totals = store.tunnels().sessionTotals(keys);
        for (TunnelStore.SessionInfo s : recent) {
            TunnelLabels l = s.labels();
            long[] t = totals.getOrDefault(s.key(), new long[2]);
            items.add(new ApiJson.Session(
                    s.key().domain(),
                    String.format(java.util.Locale.ROOT, "%016x", s.key().clientId()),
                    l.country().equals(TunnelLabels.NO_COUNTRY) ? null : l.country(),
                    l.asn() == TunnelLabels.NO_ASN ? null : l.asn(),
                    s.lastSeenMillis() >= cutoff,
                    t[0],
                    t[1],
                    ApiJson.time(s.firstSeenMillis()),
                    ApiJson.time(s.lastSeenMillis())));
        }
        answer(ctx, new ApiJson.Items<>(items));
    }

    /** What {@link TunnelCollector} exports with {@code scope=cluster}, one item per domain, country and AS. */
    private void tunnels(Context ctx) {
        ApiParameters.parse(ctx.queryString(), Set.of());
        TunnelStore tunnels = store.tunnels();
        long cutoff = clock.getAsLong() - dnsttWindow.toMillis();
        Map<TunnelLabels, Long> active = new HashMap<>();
        tunnels.sessionCounts(cutoff).forEach((k, v) -> {
            if (k.counter().equals(TunnelSessionCounts.ACTIVE)) {
                active.put(k.labels(), v);
            }
        });
        Map<String, Map<TunnelLabels, Long>> counters = new HashMap<>();
        tunnels.counters()
                .forEachAll((k, v) -> counters.computeIfAbsent(k.counter(), c -> new HashMap<>())
                        .merge(k.labels(), v, Long::sum));
        Map<TunnelLabels, Long> peaks = tunnels.peaks();
        Map<TunnelLabels, Long> sessions = tunnels.distinctSessions();
        Set<TunnelLabels> labels = new TreeSet<>(Comparator.comparing(TunnelLabels::domain)
                .thenComparing(TunnelLabels::country)
                .thenComparingLong(TunnelLabels::asn));
        labels.addAll(active.keySet());
        labels.addAll(peaks.keySet());
        labels.addAll(sessions.keySet());
        counters.values().forEach(m -> labels.addAll(m.keySet()));
        Set<String> listed = new TreeSet<>();
        labels.forEach(l -> listed.add(l.domain()));
        for (String d : dnsttDomains) {
            if (!listed.contains(d)) {
                labels.add(new TunnelLabels(d, TunnelLabels.NO_COUNTRY, TunnelLabels.NO_ASN));
            }
        }
        Map<TunnelLabels, Long> none = Map.of();
        List<ApiJson.Tunnel> items = new ArrayList<>();
        for (TunnelLabels l : labels) {
            Map<TunnelLabels, Long> out = counters.getOrDefault(TunnelCounterKey.BYTES_OUT, none);
            items.add(new ApiJson.Tunnel(
                    l.domain(),
                    l.country().equals(TunnelLabels.NO_COUNTRY) ? null : l.country(),
                    l.asn() == TunnelLabels.NO_ASN ? null : l.asn(),
                    active.getOrDefault(l, 0L),
                    peaks.getOrDefault(l, 0L),
                    counters.getOrDefault(TunnelCounterKey.QUERIES, none).getOrDefault(l, 0L),
                    counters.getOrDefault(TunnelCounterKey.BYTES_IN, none).getOrDefault(l, 0L),
                    out.get(l),
                    sessions.getOrDefault(l, 0L),
                    counters.getOrDefault(TunnelCounterKey.INVALID, none).getOrDefault(l, 0L)));
        }
        answer(ctx, new ApiJson.Items<>(items));
    }

    /** The paths, for the index page. */
    static Map<String, String> paths() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "/summary", "totals of the whole cluster");
        m.put(PREFIX + "/top/domains", "most queried domains");
        m.put(PREFIX + "/top/clients", "clients with the most queries");
        m.put(PREFIX + "/queries", "the newest queries (the query log)");
        m.put(PREFIX + "/dnstt/sessions", "DNSTT tunnels");
        m.put(PREFIX + "/dnstt/sessions/recent", "DNSTT sessions seen last");
        m.put(PREFIX + "/suspects", "domains that look like DNS tunnels");
        m.put(PREFIX + "/overview", "summary, top domains and top clients at once");
        m.put(PREFIX + "/activity", "queries per minute");
        m.put(PREFIX + "/top/firewall", "firewall top talkers");
        m.put(PREFIX + "/top/http", "HAProxy top talkers");
        m.put(PREFIX + "/cluster", "members, and this node's flushes and drops");
        return m;
    }

    @Override
    public void close() {
        sideThreads.shutdownNow();
    }
}
