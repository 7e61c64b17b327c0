package io.routerlog.export;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web page at {@code /}: one HTML file, its script and style sheet, and uPlot (from its WebJar) for the charts,
 * all read from the jar once and served from memory. The page reads nothing but the query API of the same node, so
 * it works without internet access, behind the same TLS and login as everything else.
 *
 * <p>The HTML names each asset with a hash of its content ({@code /web/app.js?v=HASH}): the HTML is revalidated on
 * every load ({@code no-cache}, with an ETag), the assets are cached for a week, and a new release changes the
 * hashes.
 */
final class WebPage {
    static final String PREFIX = "/web/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/";

    /**
     * What the page may load: only this node; no inline scripts or styles (the script sets styles through the DOM,
     * which the policy allows).
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(byte[] body, String contentType, String etag) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();
    private final Asset index;

    /** @param links the paths for machines, each with what it is, shown at the foot of the page */
    WebPage(Map<String, String> links) {
        add("app.js", "io/routerlog/web/app.js", "text/javascript; charset=utf-8");
        add("app.css", "io/routerlog/web/app.css", "text/css; charset=utf-8");
        add("uPlot.js", UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8");
        add("uPlot.css", UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8");
        add("uPlot-LICENSE.txt", UPLOT + "LICENSE", "text/plain; charset=utf-8");
        String html = new String(read("io/routerlog/web/index.html"), StandardCharsets.UTF_8);
        for (Map.Entry<String, Asset> e : assets.entrySet()) {
            html = html.replace(
                    "{{" + e.getKey() + "}}",
                    PREFIX + e.getKey() + "?v=" + e.getValue().etag());
        }
        StringBuilder l = new StringBuilder();
        links.forEach((path, what) -> l.append(l.length() == 0 ? "" : ", ")
                .append("<a href=\"")
                .append(escape(path))
                .append("\" title=\"")
                .append(escape(what))
                .append("\">")
                .append(escape(path))
                .append("</a>"));
        html = html.replace("{{links}}", l);
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        index = new Asset(body, "text/html; charset=utf-8", hash(body));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private void add(String name, String resource, String contentType) {
        byte[] body = read(resource);
        assets.put(name, new Asset(body, contentType, hash(body)));
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void mount(JavalinConfig config) {
        config.routes.get("/", ctx -> {
            ctx.header("Content-Security-Policy", POLICY);
            ctx.header("Referrer-Policy", "no-referrer");
            serve(ctx, index, "no-cache");
        });
        config.routes.get(PREFIX + "{name}", ctx -> {
            Asset a = assets.get(ctx.pathParam("name"));
            if (a == null) {
                ctx.status(404).contentType("text/plain; charset=utf-8").result("not found\n");
                return;
            }
            serve(ctx, a, "public, max-age=604800");
        });
    }

    private static void serve(Context ctx, Asset a, String cacheControl) {
        String etag = '"' + a.etag() + '"';
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        ctx.header("X-Content-Type-Options", "nosniff");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.contentType()).result(a.body());
    }
}
