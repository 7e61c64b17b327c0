package io.routerlog.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for a node's JSON API: a JDK HTTP server on 127.0.0.1 that records every request and answers with
 * what {@link #answer} says (recorded responses from {@code src/test/resources/api}, see {@link #recorded}). It can
 * be stopped and started again on the same port, as a restarted node would be.
 */
public final class ApiServer implements AutoCloseable {
    /** A request as it arrived. */
    public record Request(String path, String rawQuery, Map<String, String> params, String authorization) {
        /** The decoded value of a query parameter, or null. */
        public String param(String name) {
            return params.get(name);
        }
    }

    /** What to answer: a status and a body (JSON, or anything). */
    public record Reply(int status, String body) {
        public static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final SSLContext tls;
    private volatile Function<Request, Reply> answer = r -> new Reply(404, "{\"error\":\"no such endpoint\"}");
    private HttpServer server;
    private int port;

    private ApiServer(SSLContext tls) {
        this.tls = tls;
    }

    /** A plain HTTP server on a free port of 127.0.0.1. */
    public static ApiServer start() {
        ApiServer s = new ApiServer(null);
        s.listen(0);
        return s;
    }

    /** An HTTPS server with {@code tls} (a server context with the certificate to present). */
    public static ApiServer startTls(SSLContext tls) {
        ApiServer s = new ApiServer(tls);
        s.listen(0);
        return s;
    }

    /** The text of a recorded response: {@code src/test/resources/api/NAME.json}. */
    public static String recorded(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream("/api/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded response " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request from now on with what {@code answer} returns for it. */
    public ApiServer answer(Function<Request, Reply> answer) {
        this.answer = answer;
        return this;
    }

    /** {@code http://127.0.0.1:PORT} (or https). */
    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
    }

    /** The requests so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stops listening: connections are refused until {@link #restart}. */
    public void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void restart() {
        listen(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void listen(int onPort) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
            if (tls == null) {
                server = HttpServer.create(address, 16);
            } else {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawQuery = exchange.getRequestURI().getRawQuery();
            Map<String, String> params = new LinkedHashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    params.put(
                            URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            Request request = new Request(
                    exchange.getRequestURI().getRawPath(),
                    rawQuery == null ? "" : rawQuery,
                    params,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(request);
            Reply reply = answer.apply(request);
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (reply.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"routerlog\"");
            }
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
