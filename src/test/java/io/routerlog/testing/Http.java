package io.routerlog.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP GETs against a local routerlog. */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {}

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static Exposition metrics(int port) throws IOException, InterruptedException {
        return metrics(port, "/metrics");
    }

    /** Scrapes {@code path} (such as {@code /metrics?scope=cluster}). */
    public static Exposition metrics(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(port, path);
        if (r.statusCode() != 200) {
            throw new IOException("/metrics answered " + r.statusCode());
        }
        return Exposition.parse(r.body());
    }
}
