package io.routerlog.export;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.routerlog.config.BindFailures;
import io.routerlog.config.TlsFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * routerlog's HTTP side: {@code /metrics} (Prometheus text or OpenMetrics, gzip when accepted, streamed as it is
 * made), {@code /healthz} (200 once the listeners are up and the store runs, 503 otherwise), the client tables,
 * the JSON query API ({@link ApiEndpoints}, under {@code /api/v1}) and, with it, the web page at {@code /}
 * ({@link WebPage}; an index of the paths without it); optionally over HTTPS and behind basic authentication (everything but {@code /healthz}).
 *
 * <p>Served by Javalin on Jetty, on threads of its own ({@code routerlog-http}), so a scrape never runs on a
 * receive thread. Jetty reads requests without holding a thread, and the {@link Limits} bound what a client that
 * does not play along can hold: a connection slot and, while its response is being written, one thread, until a
 * timeout cuts it. Everyone else's requests go on meanwhile.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HttpEndpoints.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    /**
     * What one client can hold of the HTTP side.
     *
     * @param maxConnections  connections open at once; further ones wait in the kernel's accept queue until one
     *                        closes
     * @param headerTimeout   time a connection has to send a whole request line and headers, from its opening or
     *                        the end of its previous response
     * @param idleTimeout     time a connection may make no progress at all: idle between requests, or a response
     *                        (or request) that cannot be written (or read) because the other side does not read (or
     *                        send); also the longest a blocked write waits
     * @param pressureTimeout the idle timeout while all {@code maxConnections} are taken, so that stalled
     *                        connections make room sooner
     */
    public record Limits(int maxConnections, Duration headerTimeout, Duration idleTimeout, Duration pressureTimeout) {
        /** The limits routerlog runs with. */
        public static final Limits DEFAULT =
                new Limits(32, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5));

        /** Threads of the pool: one per connection that may be writing a response, plus Jetty's own few. */
        int threads() {
            return maxConnections + 8;
        }
    }

    private final MetricsExposition metrics;
    private final BooleanSupplier healthy;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final @Nullable BasicAuth auth;
    private final @Nullable ApiEndpoints api;
    private @Nullable Javalin app;
    private @Nullable ServerConnector connector;

    /**
     * A plain-text resource served on {@code path}; {@code body} is given the {@code router} query parameter (null
     * when there is none).
     */
    public record Table(String path, String contentType, Function<@Nullable String, byte[]> body) {}

    private HttpEndpoints(
            MetricsExposition metrics,
            BooleanSupplier healthy,
            List<Table> tables,
            @Nullable BasicAuth auth,
            @Nullable ApiEndpoints api) {
        this.metrics = metrics;
        this.api = api;
        this.healthy = healthy;
        this.auth = auth;
        tables.forEach(t -> this.tables.put(t.path(), t));
    }

    public static HttpEndpoints start(
            InetSocketAddress address, MetricsExposition metrics, BooleanSupplier healthy, List<Table> tables)
            throws IOException {
        return start(address, metrics, healthy, tables, null, null, Limits.DEFAULT);
    }

    /**
     * Starts serving {@code /metrics}, {@code /healthz} and the tables on {@code address}.
     *
     * @param tls    serve HTTPS with this context, or plain HTTP when null
     * @param auth   require basic authentication (on everything but /healthz), or nothing when null
     * @param limits what one client can hold ({@link Limits#DEFAULT})
     * @throws java.net.BindException when the port is taken
     * @throws io.routerlog.config.SettingException when the address is not on this host or the port needs
     *                                             CAP_NET_BIND_SERVICE
     */
    public static HttpEndpoints start(
            InetSocketAddress address,
            MetricsExposition metrics,
            BooleanSupplier healthy,
            List<Table> tables,
            @Nullable SSLContext tls,
            @Nullable BasicAuth auth,
            Limits limits)
            throws IOException {
        return start(address, metrics, healthy, tables, tls, auth, limits, null);
    }

    /**
     * Like {@link #start(InetSocketAddress, MetricsExposition, BooleanSupplier, List, SSLContext, BasicAuth, Limits)},
     * and serves the query API too.
     *
     * @param api the query API, closed with these endpoints; or null for none
     */
    public static HttpEndpoints start(
            InetSocketAddress address,
            MetricsExposition metrics,
            BooleanSupplier healthy,
            List<Table> tables,
            @Nullable SSLContext tls,
            @Nullable BasicAuth auth,
            Limits limits,
            @Nullable ApiEndpoints api)
            throws IOException {
        HttpEndpoints endpoints = new HttpEndpoints(metrics, healthy, tables, auth, api);
        try {
            endpoints.startServer(address, tls, limits);
        } catch (UncheckedIOException e) {
            endpoints.close();
            // Jetty says "Failed to bind to /ADDRESS:PORT"; the reason is in the socket's own exception
            IOException io = Objects.requireNonNull(e.getCause()); // an UncheckedIOException has one
            Throwable cause = io;
            while (!(cause instanceof BindException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw BindFailures.explain(
                    "serve HTTP on",
                    "--http-address",
                    "--http-port",
                    address,
                    cause instanceof BindException ? cause : io);
        } catch (RuntimeException | Error e) {
            endpoints.close();
            throw e;
        }
        LOG.info(
                "Serving /metrics and /healthz on {}://{}:{}/{}",
                tls == null ? "http" : "https",
                address.getAddress().getHostAddress(),
                endpoints.port(),
                auth == null ? "" : " (basic auth)");
        return endpoints;
    }

    private void startServer(InetSocketAddress address, @Nullable SSLContext tls, Limits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), 2, 60_000);
        threads.setName("routerlog-http");
        threads.setDaemon(true);
        // answers take a smaller share of the CPU than the receive threads where priorities reach the system (see
        // Store#inBackground)
        threads.setThreadsPriority(Thread.MIN_PRIORITY);
        app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.startup.showOldJavalinVersionWarning = false;
                    config.startup.startupWatcherEnabled = false;
                    config.jetty.threadPool = threads;
                    config.http.prefer405over404 = true;
                    // gzip at its fastest level: a scrape of 100,000 series is about 12 MB of text, which the
                    // default level took longer to compress than to write; the fastest level makes it a third larger
                    config.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
                    config.jetty.modifyHttpConfiguration(http -> {
                        http.setSendServerVersion(false);
                        http.setSendXPoweredBy(false);
                        http.setIdleTimeout(limits.idleTimeout().toMillis());
                        // the exposition's pieces are copied into Jetty's pooled direct buffers and written from there
                        http.setOutputBufferSize(ExpositionWriter.PIECE);
                        http.setOutputAggregationSize(ExpositionWriter.PIECE);
                    });
                    config.jetty.modifyServer(server -> {
                        NetworkConnectionLimit limit = new NetworkConnectionLimit(limits.maxConnections(), server);
                        limit.setEndPointIdleTimeout(limits.pressureTimeout().toMillis());
                        server.addBean(limit);
                        server.setStopTimeout(0); // at stop, scrapes in flight are cut: the counts are flushed by then
                    });
                    config.jetty.addConnector((server, http) -> connector(server, http, address, tls, limits));
                    config.routes.before(this::authorize);
                    if (api != null) {
                        new WebPage(links()).mount(config);
                    } else {
                        config.routes.get(
                                "/",
                                ctx -> ctx.contentType("text/html; charset=utf-8")
                                        .result(index()));
                    }
                    config.routes.get("/healthz", ctx -> {
                        boolean ok = healthy.getAsBoolean();
                        ctx.status(ok ? 200 : 503).contentType(TEXT).result(ok ? "ok\n" : "not ready\n");
                    });
                    config.routes.get("/metrics", this::metrics);
                    for (Table t : tables.values()) {
                        config.routes.get(
                                t.path(),
                                ctx -> ctx.contentType(t.contentType())
                                        .result(t.body().apply(ctx.queryParam("router"))));
                    }
                    if (api != null) {
                        api.mount(config);
                    }
                    config.routes.exception(Exception.class, (e, ctx) -> failed(e, ctx));
                    config.routes.error(404, ctx -> {
                        if (api != null && ApiEndpoints.handles(ctx.path())) {
                            if (!ApiEndpoints.answered(ctx)) {
                                ApiEndpoints.error(ctx, 404, "no such path: " + ctx.path());
                            }
                        } else {
                            ctx.contentType(TEXT).result("not found\n");
                        }
                    });
                    config.routes.error(405, ctx -> {
                        ctx.header("Allow", "GET, HEAD");
                        if (api != null && ApiEndpoints.handles(ctx.path())) {
                            ApiEndpoints.error(ctx, 405, "method not allowed: " + ctx.method());
                        } else {
                            ctx.contentType(TEXT).result("method not allowed\n");
                        }
                    });
                })
                .start();
    }

    /** The one connector: HTTP or HTTPS, with the timeouts; bound here so that a failed bind can be explained. */
    private ServerConnector connector(
            Server server, HttpConfiguration http, InetSocketAddress address, @Nullable SSLContext tls, Limits limits) {
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        if (tls == null) {
            connector = new ServerConnector(server, 1, 1, plain);
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            ssl.setIncludeProtocols(TlsFiles.PROTOCOLS.toArray(String[]::new));
            ssl.setIncludeCipherSuites(TlsFiles.CIPHER_SUITES.toArray(String[]::new));
            ssl.setExcludeCipherSuites(); // Jetty's own exclusions are a subset of what the suites above leave out
            // the Host a client asks for need not be a name of the certificate (a scraper that reaches the node
            // by address and checks the certificate against another name, or not at all): that is the client's call
            http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, plain.getProtocol()), plain);
        }
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(64);
        connector.addBean(new HeaderTimeout(connector, limits.headerTimeout()));
        try {
            connector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return connector;
    }

    public int port() {
        return Objects.requireNonNull(connector, "not started").getLocalPort();
    }

    private void authorize(Context ctx) {
        if (auth == null || ctx.path().equals("/healthz")) {
            return;
        }
        if (!auth.allows(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"routerlog\", charset=\"UTF-8\"");
            ctx.status(HttpStatus.UNAUTHORIZED).contentType(TEXT).result("unauthorized\n");
            ctx.skipRemainingHandlers();
        }
    }

    private void metrics(Context ctx) throws IOException {
        ScrapeRequest request = ScrapeRequest.of(ctx.path(), ctx.queryString());
        String accept = ctx.header("Accept");
        ctx.contentType(metrics.contentType(accept));
        // Javalin compresses what goes into its output stream when the client accepts gzip; the exposition
        // arrives in pieces of 64 KiB (see ExpositionWriter), so it is never held whole, compressed or not
        try (OutputStream out = ctx.outputStream()) {
            metrics.write(accept, request, out);
        }
    }

    /** Every exception a handler throws: a client's mistake is answered and not logged, a failure logged once. */
    private void failed(Exception e, Context ctx) {
        boolean json = api != null && ApiEndpoints.handles(ctx.path());
        if (json && (e instanceof BadRequest || e instanceof ApiParameters.BadParameter)) {
            ApiEndpoints.error(ctx, 400, String.valueOf(e.getMessage()));
            return;
        }
        if (e instanceof BadRequest) {
            ctx.status(HttpStatus.BAD_REQUEST).contentType(TEXT).result(e.getMessage() + "\n");
            return;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            // the client went away mid-response (or a timeout cut it); nothing to clean up
            LOG.debug("HTTP response to {} not completed: {}", ctx.ip(), e.toString());
            return;
        }
        LOG.error("Error serving {}", ctx.path(), e);
        if (!ctx.res().isCommitted()) {
            ctx.res().resetBuffer();
            if (json) {
                ApiEndpoints.error(ctx, 500, "internal error");
            } else {
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(TEXT).result("internal error\n");
            }
        }
    }

    /** Every path for machines, with what it serves. */
    private Map<String, String> links() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("/metrics", "Prometheus metrics (this node's share; ?scope=cluster for the whole cluster)");
        m.put("/healthz", "health check");
        tables.keySet().forEach(path -> m.put(path, "clients, with DHCP identities"));
        if (api != null) {
            m.putAll(ApiEndpoints.paths());
        }
        return m;
    }

    private String index() {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><title>routerlog</title></head><body>"
                + "<h1>routerlog</h1><ul>\n"
                + "<li><a href=\"/metrics\">/metrics</a>: Prometheus metrics (this node's share; "
                + "<a href=\"/metrics?scope=cluster\">?scope=cluster</a> for the whole cluster)</li>\n"
                + "<li><a href=\"/healthz\">/healthz</a>: health check</li>\n");
        for (String path : tables.keySet()) {
            b.append("<li><a href=\"").append(path).append("\">").append(path).append("</a></li>\n");
        }
        if (api != null) {
            ApiEndpoints.paths()
                    .forEach((path, what) -> b.append("<li><a href=\"")
                            .append(path)
                            .append("\">")
                            .append(path)
                            .append("</a>: ")
                            .append(what)
                            .append("</li>\n"));
        }
        return b.append("</ul></body></html>\n").toString();
    }

    /** A request the client got wrong: answered 400 with the message, logged nowhere. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** The path and query parameters of a scrape, for collectors that take them ({@code scope}). */
    record ScrapeRequest(String path, Map<String, List<String>> parameters)
            implements io.prometheus.metrics.model.registry.PrometheusScrapeRequest {
        /** @throws BadRequest when the query string is not well-formed percent-encoding */
        static ScrapeRequest of(String path, String rawQuery) {
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                    parameters.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
            }
            return new ScrapeRequest(path, parameters);
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("bad query string: a % must be followed by two hexadecimal digits");
            }
        }

        @Override
        public String getRequestPath() {
            return path;
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.getOrDefault(name, List.of()).toArray(String[]::new);
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        if (app != null) {
            try {
                app.stop();
            } catch (RuntimeException e) {
                LOG.warn("Error while stopping the HTTP server: {}", e.toString());
            }
        }
    }
}
