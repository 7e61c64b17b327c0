package io.routerlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The node's JSON API ({@code /api/v1/...}) over {@link HttpClient}: one GET per call, with basic authentication
 * when a user is given. Every failure becomes an {@link ApiException} with a one-line message.
 */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A document the API answered: its text as sent and its parsed form. */
    public record Answer(String body, JsonNode json) {
        /** The {@code items} array's elements (none when it is missing). */
        public Iterable<JsonNode> items() {
            JsonNode items = json.path("items");
            return items.isArray() ? items : List.of();
        }

        /** A top-level text field, or null when it is missing or null. */
        public @Nullable String text(String field) {
            JsonNode v = json.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private final String base;
    private final HttpClient http;
    private final @Nullable String authorization;
    private final Duration timeout;

    /**
     * @param base          the node's URL ({@code http://127.0.0.1:9514}), without a trailing slash
     * @param authorization the {@code Authorization} header to send, or null
     */
    Api(String base, HttpClient http, @Nullable String authorization, Duration timeout) {
        this.base = base;
        this.http = http;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    /** The node's URL, as messages name it. */
    public String base() {
        return base;
    }

    /**
     * GETs {@code path} (such as {@code /api/v1/queries}) with the query parameters whose value is not null, in
     * the order given.
     */
    public Answer get(String path, Map<String, @Nullable String> params) throws ApiException, InterruptedException {
        URI uri = URI.create(base + path + query(params));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        }
        int status = response.statusCode();
        String body = response.body();
        if (status == 200) {
            JsonNode json = parse(body);
            if (json == null || !json.isObject()) {
                throw new ApiException(
                        ApiException.Kind.BAD_ANSWER, base + path + " answered something other than a JSON object");
            }
            return new Answer(body, json);
        }
        String error = errorLine(body);
        if (status == 401) {
            throw new ApiException(
                    ApiException.Kind.AUTHENTICATION,
                    authorization == null
                            ? "authentication failed: the node wants a user (--user, with ROUTERLOG_PASSWORD or "
                                    + "--password-file)"
                            : "authentication failed");
        }
        if ((status == 400 || status == 404) && error != null) {
            throw new ApiException(ApiException.Kind.REFUSED, error);
        }
        if (status == 404) {
            throw new ApiException(
                    ApiException.Kind.REFUSED, base + " has no " + path + " (is the node older than this command?)");
        }
        throw new ApiException(
                status >= 500 ? ApiException.Kind.SERVER : ApiException.Kind.BAD_ANSWER,
                base + " answered HTTP " + status + (error == null ? "" : ": " + error));
    }

    private ApiException unreachable(IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + seconds(timeout);
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + seconds(timeout);
        } else if (causedBy(e, ConnectException.class)) {
            why = "connection refused (is the node running?)";
        } else if (causedBy(e, SSLException.class)) {
            why = "TLS failed: " + oneLine(e) + " (--tls-ca names the CA of the node's certificate)";
        } else {
            why = oneLine(e);
        }
        return new ApiException(ApiException.Kind.UNREACHABLE, "cannot reach " + base + ": " + why);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The API's {@code {"error": "..."}} line, or null when the body is not that. */
    private static @Nullable String errorLine(String body) {
        JsonNode json = parse(body);
        JsonNode error = json == null ? null : json.get("error");
        if (error == null || !error.isTextual() || error.asText().isBlank()) {
            return null;
        }
        return error.asText().strip().replace('\n', ' ');
    }

    private static @Nullable JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@code ?a=1&b=x%20y}: each value percent-encoded as UTF-8 (a space as {@code %20}). */
    static String query(Map<String, @Nullable String> params) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, @Nullable String> p : params.entrySet()) {
            String value = p.getValue();
            if (value == null) {
                continue;
            }
            q.append(q.length() == 0 ? '?' : '&')
                    .append(encode(p.getKey()))
                    .append('=')
                    .append(encode(value));
        }
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One JSON object on one line, for {@code --follow --json}. */
    public static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
