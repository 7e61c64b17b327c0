package io.routerlog.export;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
    public record Body(String contentType, byte[] bytes) {}

    /** The content type of the format answered for the scraper's Accept header (null: the Prometheus text format). */
    public String contentType(String accept) {
        return writer(accept).getContentType();
    }

    private ExpositionFormatWriter writer(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        return writer == formats.getOpenMetricsTextFormatWriter() ? writer : formats.getPrometheusTextFormatWriter();
    }

    /**
     * A whole scrape in memory (tests and tools; the HTTP side streams it with {@link #write}).
     *
     * @param accept  the scraper's Accept header (null: the Prometheus text format)
     * @param request the path and parameters of the scrape (null: none)
     */
    public Body scrape(String accept, PrometheusScrapeRequest request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        write(accept, request, out);
        return new Body(contentType(accept), out.toByteArray());
    }

    /**
     * Writes a scrape to {@code out} in pieces of {@link ExpositionWriter#PIECE} bytes as it is made, so the body
     * is never held whole; nothing is written before the first piece is full or the scrape is done.
     *
     * @param accept  the scraper's Accept header (null: the Prometheus text format)
     * @param request the path and parameters of the scrape (null: none)
     * @throws IOException when {@code out} fails (the client went away)
     */
    public void write(String accept, PrometheusScrapeRequest request, OutputStream out) throws IOException {
        ExpositionFormatWriter writer = writer(accept);
        boolean openMetrics = writer == formats.getOpenMetricsTextFormatWriter();
        ByteArrayOutputStream smallOut = new ByteArrayOutputStream(64 * 1024);
        writer.write(smallOut, request == null ? registry.scrape() : registry.scrape(request));
        byte[] small = smallOut.toByteArray();
        int smallLength = small.length;
        if (openMetrics && endsWith(small, EOF)) {
            smallLength -= EOF.length; // the streamed families go before the end marker
        }
        ExpositionWriter body = new ExpositionWriter(openMetrics, out);
        try {
            body.raw(small, 0, smallLength);
            for (StreamedCollector c : streamed) {
                c.write(request, body);
            }
            if (openMetrics) {
                body.raw(EOF, 0, EOF.length);
            }
            body.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
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
