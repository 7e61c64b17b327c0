package io.routerlog.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * routerlog's HTTP side: {@code /metrics} (Prometheus text or OpenMetrics, gzip when asked), {@code /healthz}
 * (200 once the listeners are up and the store runs, 503 otherwise) and an index at {@code /}. Served by the
 * JDK's HTTP server on two threads of its own ({@code routerlog-http}), so a scrape never runs on a receive thread.
 */
public final class HttpEndpoints implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HttpEndpoints.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsExposition metrics;
    private final BooleanSupplier healthy;
    private final Map<String, Table> tables;
    private final BasicAuth auth;

    /** A plain-text resource served on {@code path}. */
    public record Table(String path, String contentType, java.util.function.Supplier<byte[]> body) {
    }

    private HttpEndpoints(HttpServer server, MetricsExposition metrics, BooleanSupplier healthy,
            List<Table> tables, BasicAuth auth) {
        this.auth = auth;
        this.server = server;
        this.metrics = metrics;
        this.healthy = healthy;
        this.tables = new java.util.LinkedHashMap<>();
        tables.forEach(t -> this.tables.put(t.path(), t));
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "routerlog-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public static HttpEndpoints start(InetSocketAddress address, MetricsExposition metrics,
            BooleanSupplier healthy, List<Table> tables) throws IOException {
        return start(address, metrics, healthy, tables, null, null);
    }

    /**
     * @param tls  serve HTTPS with this context, or plain HTTP when null
     * @param auth require basic authentication (on everything but /healthz), or nothing when null
     * @throws java.net.BindException when the port is taken
     * @throws io.routerlog.config.SettingException when the address is not on this host or the port needs
     *                                             CAP_NET_BIND_SERVICE
     */
    public static HttpEndpoints start(InetSocketAddress address, MetricsExposition metrics,
            BooleanSupplier healthy, List<Table> tables, javax.net.ssl.SSLContext tls, BasicAuth auth)
            throws IOException {
        HttpServer server;
        try {
            if (tls != null) {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw io.routerlog.config.BindFailures.explain("serve HTTP on", "--http-address", "--http-port", address,
                    e);
        }
        HttpEndpoints endpoints = new HttpEndpoints(server, metrics, healthy, tables, auth);
        server.start();
        LOG.info("Serving /metrics and /healthz on {}://{}:{}/{}", tls == null ? "http" : "https",
                address.getAddress().getHostAddress(), endpoints.port(), auth == null ? "" : " (basic auth)");
        return endpoints;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (auth != null && !path.equals("/healthz")
                    && !auth.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"routerlog\", charset=\"UTF-8\"");
                send(exchange, 401, "text/plain; charset=utf-8", "unauthorized\n");
                return;
            }
            Table table = tables.get(path);
            if (table != null) {
                send(exchange, 200, table.contentType(), table.body().get());
                return;
            }
            switch (path) {
                case "/metrics" -> metrics(exchange);
                case "/healthz" -> {
                    boolean ok = healthy.getAsBoolean();
                    send(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ready\n");
                }
                case "/" -> send(exchange, 200, "text/html; charset=utf-8", index());
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        } catch (IOException e) {
            // the client went away mid-response; nothing to clean up
            LOG.debug("HTTP response to {} not completed: {}", exchange.getRemoteAddress(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("Error serving {}", exchange.getRequestURI(), e);
            throw e;
        }
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
        return b.append("</ul></body></html>\n").toString();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        MetricsExposition.Body scraped = metrics.scrape(exchange.getRequestHeaders().getFirst("Accept"),
                new ScrapeRequest(exchange.getRequestURI()));
        byte[] body = scraped.bytes();
        boolean gzip = acceptsGzip(exchange.getRequestHeaders().get("Accept-Encoding"));
        if (gzip) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 1024);
            try (OutputStream out = new GZIPOutputStream(zipped, 8192)) {
                out.write(body);
            }
            body = zipped.toByteArray();
        }
        exchange.getResponseHeaders().set("Content-Type", scraped.contentType());
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        sendBytes(exchange, 200, body);
    }

    /** The path and query parameters of a scrape, for collectors that take them ({@code scope}). */
    private record ScrapeRequest(java.net.URI uri) implements io.prometheus.metrics.model.registry.PrometheusScrapeRequest {
        @Override
        public String getRequestPath() {
            return uri.getPath();
        }

        @Override
        public String[] getParameterValues(String name) {
            String query = uri.getRawQuery();
            if (query == null) {
                return new String[0];
            }
            List<String> values = new java.util.ArrayList<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    values.add(eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return values.toArray(String[]::new);
        }
    }

    private static boolean acceptsGzip(List<String> values) {
        if (values == null) {
            return false;
        }
        for (String v : values) {
            for (String part : v.split(",")) {
                if (part.trim().split(";")[0].trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        sendBytes(exchange, status, body);
    }

    private static void sendBytes(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            // in pieces: the JDK copies each write into a temporary direct buffer of the same size and keeps it
            // cached per thread, so one 10 MB write would hold 10 MB of native memory per HTTP thread for good
            OutputStream out = exchange.getResponseBody();
            for (int off = 0; off < body.length; off += WRITE_CHUNK) {
                out.write(body, off, Math.min(WRITE_CHUNK, body.length - off));
            }
        }
    }

    private static final int WRITE_CHUNK = 64 * 1024;

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
