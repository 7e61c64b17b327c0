package io.routerlog.export;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of {@code /metrics}: the client library's registry (small families: receiver, store, JVM) followed by
 * the {@link StreamedCollector}s (one series per stored entry), in the Prometheus text format or OpenMetrics as the
 * scraper asks.
 */
public final class MetricsExposition {
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final PrometheusRegistry registry;
    private final List<StreamedCollector> streamed;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsExposition(PrometheusRegistry registry, List<StreamedCollector> streamed) {
        this.registry = registry;
        this.streamed = List.copyOf(streamed);
    }

    /** A scrape's body and its content type. */
    public record Body(String contentType, byte[] bytes) {
    }

    /**
     * @param accept  the scraper's Accept header (null: the Prometheus text format)
     * @param request the path and parameters of the scrape (null: none)
     */
    public Body scrape(String accept, PrometheusScrapeRequest request) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        boolean openMetrics = writer == formats.getOpenMetricsTextFormatWriter();
        if (!openMetrics) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writer.write(out, request == null ? registry.scrape() : registry.scrape(request));
        byte[] small = out.toByteArray();
        int smallLength = small.length;
        if (openMetrics && endsWith(small, EOF)) {
            smallLength -= EOF.length; // the streamed families go before the end marker
        }
        ExpositionWriter body = new ExpositionWriter(openMetrics);
        body.raw(small, 0, smallLength);
        for (StreamedCollector c : streamed) {
            c.write(request, body);
        }
        if (openMetrics) {
            body.raw(EOF, 0, EOF.length);
        }
        return new Body(writer.getContentType(), body.toByteArray());
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        if (b.length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (b[b.length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
