package io.routerlog.export;

import io.routerlog.store.PackedCounters;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes metric families in the Prometheus text format (0.0.4) or OpenMetrics 1.0 text into a byte buffer: the
 * family headers, then one line per series, label values escaped as both formats require. Counters of a
 * {@link PackedCounters} are copied byte for byte, so a large family costs no object per series.
 *
 * <p>With a sink, the buffer is passed on to it whenever it holds {@link #PIECE} bytes, so a scrape of any size
 * holds one piece in memory, and the sink (a socket, through the HTTP server) gets writes of that size, never the
 * whole body: the JDK copies each socket write of a heap array into a temporary direct buffer of the same size
 * and keeps the largest one per thread, so one 10 MB write would hold 10 MB of native memory per HTTP thread for
 * good (the HTTP server copies pieces of this size into its own pooled direct buffers instead). Nothing reaches the
 * sink before the first piece is full, so a scrape that fails early can still be answered with an error.
 */
public final class ExpositionWriter {
    /** Size of the pieces passed on to a sink. */
    public static final int PIECE = 64 * 1024;

    private final boolean openMetrics;
    private final java.io.@Nullable OutputStream sink;
    private byte[] buf = new byte[PIECE];
    private int len;

    /** @param openMetrics OpenMetrics text, or else the Prometheus text format 0.0.4 */
    public ExpositionWriter(boolean openMetrics) {
        this(openMetrics, null);
    }

    /**
     * @param openMetrics OpenMetrics text, or else the Prometheus text format 0.0.4
     * @param sink        where full pieces go (see {@link #flush()}), or null to keep everything in memory
     */
    public ExpositionWriter(boolean openMetrics, java.io.@Nullable OutputStream sink) {
        this.openMetrics = openMetrics;
        this.sink = sink;
    }

    public boolean openMetrics() {
        return openMetrics;
    }

    /**
     * A counter family with one series per packed counter; counters with another number of labels than
     * {@code labelNames} are left out.
     *
     * @param name the family name without {@code _total}
     * @return the number of series written
     */
    public int counter(String name, String help, String[] labelNames, PackedCounters counters) {
        return counter(name, help, labelNames, List.of(counters));
    }

    /**
     * A counter family whose series come in parts, each taken from {@code parts} only once the one before it is
     * written (so a sink passes each on before the next is made); counters with another number of labels than
     * {@code labelNames} are left out.
     *
     * @param name the family name without {@code _total}
     * @return the number of series written
     */
    public int counter(String name, String help, String[] labelNames, Iterable<PackedCounters> parts) {
        header(name, help, "counter");
        byte[][] labelPrefixes = new byte[labelNames.length][];
        for (int i = 0; i < labelNames.length; i++) {
            labelPrefixes[i] = ((i == 0 ? "{" : ",") + labelNames[i] + "=\"").getBytes(StandardCharsets.US_ASCII);
        }
        byte[] sample = (name + "_total").getBytes(StandardCharsets.US_ASCII);
        // a series' bytes apart from its label values: name, label prefixes and closing quotes, braces, space,
        // the number (at most 20 characters) and the line feed
        int fixed = sample.length + 2 + 20 + 1;
        for (byte[] prefix : labelPrefixes) {
            fixed += prefix.length + 1;
        }
        int written = 0;
        for (PackedCounters counters : parts) {
            written += series(sample, labelPrefixes, fixed, counters);
        }
        return written;
    }

    /** The series of one part; {@code fixed} is the size of a series without its label values. */
    private int series(byte[] sample, byte[][] labelPrefixes, int fixed, PackedCounters counters) {
        int labels = labelPrefixes.length;
        int written = 0;
        PackedCounters.Cursor c = counters.cursor();
        while (c.next()) {
            if (c.labels() != labels) {
                continue;
            }
            byte[] src = c.bytes();
            int need = fixed;
            for (int i = 0; i < labels; i++) {
                need += 2 * c.labelLength(i); // every byte escaped at worst
            }
            ensure(need);
            // one series written with a local position into the buffer that now has room for it
            byte[] out = buf;
            int p = len;
            System.arraycopy(sample, 0, out, p, sample.length);
            p += sample.length;
            for (int i = 0; i < labels; i++) {
                byte[] prefix = labelPrefixes[i];
                System.arraycopy(prefix, 0, out, p, prefix.length);
                p += prefix.length;
                p = escaped(src, c.labelOffset(i), c.labelLength(i), out, p);
                out[p++] = '"';
            }
            if (labels > 0) {
                out[p++] = '}';
            }
            out[p++] = ' ';
            p = digits(c.value(), out, p);
            out[p++] = '\n';
            len = p;
            written++;
        }
        return written;
    }

    /** A counter family with a single series and no labels. */
    public void counter(String name, String help, long value) {
        header(name, help, "counter");
        raw((name + "_total ").getBytes(StandardCharsets.US_ASCII));
        number(value);
        ascii('\n');
    }

    /** A gauge family with a single series and no labels. */
    public void gauge(String name, String help, long value) {
        header(name, help, "gauge");
        raw((name + " ").getBytes(StandardCharsets.US_ASCII));
        number(value);
        ascii('\n');
    }

    private void header(String name, String help, String type) {
        // the text format names a counter's family by its sample name; OpenMetrics by the name without _total
        String family = openMetrics || !type.equals("counter") ? name : name + "_total";
        String helpLine = "# HELP " + family + " " + escapeHelp(help) + "\n";
        String typeLine = "# TYPE " + family + " " + type + "\n";
        byte[] h = (openMetrics ? typeLine + helpLine : helpLine + typeLine).getBytes(StandardCharsets.UTF_8);
        raw(h);
    }

    private String escapeHelp(String help) {
        StringBuilder b = new StringBuilder(help.length());
        for (int i = 0; i < help.length(); i++) {
            char ch = help.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '"' -> b.append(openMetrics ? "\\\"" : "\"");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * Writes label value bytes (UTF-8) into {@code out} at {@code p} with backslash, double quote and line feed
     * escaped; {@code out} has room for twice {@code n} bytes. Returns the position after them.
     */
    private static int escaped(byte[] b, int off, int n, byte[] out, int p) {
        int end = off + n;
        int i = off;
        while (i < end && !special(b[i])) {
            i++;
        }
        System.arraycopy(b, off, out, p, i - off); // most values have nothing to escape: one copy
        p += i - off;
        for (; i < end; i++) {
            byte x = b[i];
            if (x == '\\' || x == '"') {
                out[p++] = '\\';
                out[p++] = x;
            } else if (x == '\n') {
                out[p++] = '\\';
                out[p++] = 'n';
            } else {
                out[p++] = x;
            }
        }
        return p;
    }

    private static boolean special(byte x) {
        return x == '\\' || x == '"' || x == '\n';
    }

    private void number(long v) {
        ensure(20);
        len = digits(v, buf, len);
    }

    /** Writes {@code v} in decimal into {@code out} at {@code p} (room for 20 bytes); returns the position after. */
    private static int digits(long v, byte[] out, int p) {
        if (v < 0) {
            // no count is negative; Long.MIN_VALUE has no positive counterpart, so the rare case goes the long way
            byte[] b = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, out, p, b.length);
            return p + b.length;
        }
        int n = 1;
        for (long t = v; t >= 10; t /= 10) {
            n++;
        }
        int end = p + n;
        for (int i = end - 1; i >= p; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    private void ascii(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void raw(byte[] b) {
        raw(b, 0, b.length);
    }

    /** Appends bytes already in exposition format (another writer's families, the OpenMetrics end marker). */
    void raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            if (sink != null && len > 0) {
                flush();
                if (n <= buf.length) {
                    return;
                }
            }
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /**
     * Passes what the buffer holds on to the sink (nothing without one).
     *
     * @throws java.io.UncheckedIOException when the sink fails (the client went away)
     */
    public void flush() {
        if (sink == null || len == 0) {
            return;
        }
        try {
            sink.write(buf, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        len = 0;
    }

    /** Bytes in the buffer (all bytes written so far without a sink). */
    public int size() {
        return len;
    }

    /** A copy of what was written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Writes what was written so far to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }
}
