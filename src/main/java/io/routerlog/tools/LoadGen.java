package io.routerlog.tools;

import io.routerlog.config.Converters;
import io.routerlog.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code routerlog loadgen}: sends dnsmasq log lines in OpenWrt's logd format to a syslog receiver at a fixed or
 * stepped rate, generated (many clients, Zipf-distributed domains, the usual mix of query, forwarded, reply, cached
 * and block-list lines) or replayed from a dnsmasq log file; prints a progress line every second and, with
 * {@code --metrics}, compares what the receiver counted with what was sent.
 */
@Command(
        name = "loadgen",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Send dnsmasq log lines in OpenWrt's syslog format at a given rate, and check what the "
                + "receiver counted.")
public final class LoadGen implements Callable<Integer> {
    private static final Pattern FILE_LINE = Pattern.compile("^(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (.*)$");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:5514",
            converter = Converters.HostPortValue.class,
            description = "Syslog receiver. Default: ${DEFAULT-VALUE}.")
    HostPort target;

    @Option(
            names = "--protocol",
            paramLabel = "tcp|udp",
            defaultValue = "tcp",
            description = "Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(
            names = "--rate",
            paramLabel = "LINES/S",
            split = ",",
            defaultValue = "1000",
            description = "Lines per second (0: as fast as the receiver takes them); several (comma-separated) make "
                    + "steps of --duration each. Over TCP the lines due are written together about every millisecond. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Integer> rates;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.DurationValue.class,
            description = "How long each rate is sent. Default: ${DEFAULT-VALUE}.")
    Duration step;

    @Option(
            names = "--clients",
            defaultValue = "200",
            description = "Distinct clients at a time. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(
            names = "--domains",
            defaultValue = "20000",
            description = "Distinct domains at a time. Default: ${DEFAULT-VALUE}.")
    int domains;

    @Option(
            names = "--zipf",
            defaultValue = "1.1",
            description = "Zipf exponent of domain popularity. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(
            names = "--churn",
            paramLabel = "N/MIN",
            defaultValue = "0",
            description = "Clients and domains replaced by new ones per minute. Default: ${DEFAULT-VALUE}.")
    int churn;

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "Send the lines of this dnsmasq log file (log-facility format) instead of generated ones, "
                    + "over and over.")
    Path replay;

    @Option(
            names = "--metrics",
            paramLabel = "URL",
            description = "The receiver's /metrics: compare what it counted with what was sent.")
    String metrics;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--pool",
            paramLabel = "LINES",
            defaultValue = "262144",
            description = "Generated lines rendered ahead into memory and sent over and over (re-rendered after "
                    + "each --churn); a larger pool offers more distinct pairs. Default: ${DEFAULT-VALUE}.")
    int pool;

    @Option(
            names = "--distinct",
            defaultValue = "false",
            description =
                    "Make every pass over the pool new pairs: each domain gets a generation label "
                            + "(g00000000.site1.example.com, then g00000001...) that changes whenever the pool starts over, so "
                            + "the receiver keeps seeing pairs it has never seen (memory and eviction tests). Default: ${DEFAULT-VALUE}.")
    boolean distinct;

    @Option(
            names = "--tcp-connections",
            paramLabel = "N",
            defaultValue = "1",
            description = "TCP connections to send over, taking turns (routerlog takes at most "
                    + "--max-connections-per-sender, default 8, from one address). Default: ${DEFAULT-VALUE}.")
    int tcpConnections;

    private long sent;
    private long queries;

    @Override
    public Integer call() throws Exception {
        String host = target.host();
        int port = target.port()
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "--target needs a port: " + target));
        boolean udp = protocol.toLowerCase(Locale.ROOT).equals("udp");
        if (pool < 1 || tcpConnections < 1) {
            throw new ParameterException(spec.commandLine(), "--pool and --tcp-connections must be positive");
        }
        if (distinct && replay != null) {
            throw new ParameterException(spec.commandLine(), "--distinct works on generated lines, not --replay");
        }
        Lines lines = replay != null
                ? new Replay(Files.readAllLines(replay))
                : new Generated(new TrafficModel(clients, domains, zipf, seed, distinct ? GENERATION_LABEL : ""));
        LinePool rendered = LinePool.render(lines, replay != null ? ((Replay) lines).size() : pool);
        double @Nullable [] before = metrics == null ? null : counted();
        long start = System.nanoTime();
        try (Sender out = udp ? new UdpSender(host, port) : new TcpSender(host, port, tcpConnections)) {
            for (int rate : rates) {
                rendered = run(out, rendered, lines, rate, step);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "loadgen: sent %d lines (%d queries) in %.1f s, %.0f lines/s%n",
                        sent,
                        queries,
                        seconds,
                        sent / seconds);
        if (before == null) {
            return 0;
        }
        double[] after = waitForCounts(before);
        long received = (long) (after[0] - before[0]);
        long counted = (long) (after[1] - before[1]);
        spec.commandLine()
                .getOut()
                .printf(
                        Locale.ROOT,
                        "loadgen: receiver counted %d of %d lines (%d lost) and %d of %d queries%n",
                        received,
                        sent,
                        sent - received,
                        counted,
                        queries);
        return received == sent && counted == queries ? 0 : 1;
    }

    /**
     * Sends {@code rate} lines per second (0: as fast as the receiver takes them) for {@code step}, straight from
     * the rendered pool: over TCP about every millisecond, the lines due (a write per contiguous range); over UDP
     * every few microseconds, one datagram per line due. Nothing is allocated or rendered per line.
     */
    private LinePool run(Sender out, LinePool p, Lines lines, int rate, Duration step)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + step.toNanos();
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        long nextChurn = start + TimeUnit.MINUTES.toNanos(1);
        long stepSent = 0;
        // at most this many lines in one go, so that pacing and the clock checks stay fine-grained
        int burst = rate <= 0 ? 65536 : Math.max(1, Math.min(65536, rate / 1000));
        // TCP: the lines of about a millisecond in one write, as a relay forwards its queue; a write per line would
        // make the receiver wake for every line, and the sender spin between lines
        int least = out.stream() ? burst : 1;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long n;
            if (rate <= 0) {
                n = burst;
            } else {
                long due = (long) ((now - start) / 1e9 * rate);
                n = Math.min(due - stepSent, burst);
                // a stream waits until a whole write is due, unless the step ends first
                long whole = start + (long) ((stepSent + least) * 1e9 / rate);
                if (n <= 0 || (n < least && whole < end)) {
                    long wait = (whole < end ? whole : start + (long) ((stepSent + 1) * 1e9 / rate)) - now;
                    if (wait > 200_000) {
                        out.flush();
                        TimeUnit.NANOSECONDS.sleep(Math.min(wait - 100_000, 1_000_000));
                    } else if (wait > 20_000) {
                        Thread.onSpinWait();
                    }
                    continue;
                }
            }
            while (n > 0) {
                int from = p.next;
                int count = (int) Math.min(n, p.size() - from);
                out.send(p, from, count);
                queries += p.queriesIn(from, count);
                sent += count;
                stepSent += count;
                n -= count;
                p.next = from + count == p.size() ? 0 : from + count;
                if (distinct && p.next == 0) {
                    out.flush(); // the pool's bytes change under the sender
                    p.nextGeneration();
                }
            }
            if (now >= nextProgress) {
                nextProgress += TimeUnit.SECONDS.toNanos(1);
                spec.commandLine()
                        .getErr()
                        .printf(
                                Locale.ROOT,
                                "loadgen: %4.0f s at %s lines/s: %d lines sent%n",
                                (now - start) / 1e9,
                                rate <= 0 ? "max" : Integer.toString(rate),
                                sent);
            }
            if (churn > 0 && now >= nextChurn) {
                nextChurn += TimeUnit.MINUTES.toNanos(1);
                lines.churn(churn);
                if (lines instanceof Generated) {
                    int next = p.next;
                    p = LinePool.render(lines, p.size());
                    p.next = next;
                }
            }
        }
        out.flush();
        return p;
    }

    /** [syslog messages, dnsmasq query lines] the receiver reports. */
    private double[] counted() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(metrics))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        double messages = 0;
        double queryLines = 0;
        for (String l : r.body().split("\n")) {
            if (l.startsWith("routerlog_syslog_messages_total{")) {
                messages += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            } else if (l.startsWith("routerlog_dnsmasq_lines_total{kind=\"query\"}")) {
                queryLines = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {messages, queryLines};
    }

    private double[] waitForCounts(double[] before) throws IOException, InterruptedException {
        double[] last = counted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (last[0] - before[0] < sent && System.nanoTime() < deadline) {
            Thread.sleep(200);
            double[] now = counted();
            if (now[0] == last[0] && now[0] - before[0] > 0) {
                Thread.sleep(500);
                now = counted();
                if (now[0] == last[0]) {
                    break; // no longer moving
                }
            }
            last = now;
        }
        return last;
    }

    private interface Lines {
        List<String> next();

        void churn(int n);
    }

    private static final class Generated implements Lines {
        private final TrafficModel model;
        private final String header = "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: ";

        Generated(TrafficModel model) {
            this.model = model;
        }

        @Override
        public List<String> next() {
            String[] parts = model.nextQuery();
            List<String> out = new ArrayList<>(parts.length);
            for (String p : parts) {
                out.add(header + p);
            }
            return out;
        }

        @Override
        public void churn(int n) {
            model.churn(n);
        }
    }

    /** Lines of a dnsmasq log file, grouped so that each group starts with a query line. */
    private static final class Replay implements Lines {
        private final List<String> lines = new ArrayList<>();
        private int next;

        Replay(List<String> file) {
            for (String l : file) {
                Matcher m = FILE_LINE.matcher(l);
                lines.add(m.matches() ? "<30>" + m.group(1) + " OpenWrt " + m.group(2) : "<30>" + l);
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("nothing to replay");
            }
        }

        int size() {
            return lines.size();
        }

        @Override
        public List<String> next() {
            String l = lines.get(next);
            next = (next + 1) % lines.size();
            return List.of(l);
        }

        @Override
        public void churn(int n) {
            // a replay repeats itself
        }
    }

    /** The generation label of --distinct as rendered; its eight hex digits are rewritten in place. */
    static final String GENERATION_LABEL = "g00000000.";

    /**
     * Lines rendered ahead: their bytes, each followed by {@code \n}, back to back in one direct buffer (what TCP
     * writes in large chunks and UDP sends line by line), and which of them are dnsmasq query lines.
     */
    static final class LinePool {
        final ByteBuffer bytes;
        /** Start of line i; {@code starts[size]} is the end of the last one (past its newline). */
        final int[] starts;
        /** Query lines among the first i lines. */
        final int[] queriesBefore;

        int next;

        /** Where the hex digits of each generation label are in {@code bytes}. */
        private int[] labels = new int[0];

        private int labelCount = -1;
        private int generation;

        private LinePool(ByteBuffer bytes, int[] starts, int[] queriesBefore) {
            this.bytes = bytes;
            this.starts = starts;
            this.queriesBefore = queriesBefore;
        }

        /** Rewrites every generation label with the next number: the same lines, all new names. */
        void nextGeneration() {
            if (labelCount < 0) {
                labels = new int[64];
                labelCount = 0;
                byte[] label = GENERATION_LABEL.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0, end = bytes.limit() - label.length; i <= end; i++) {
                    int j = 0;
                    while (j < label.length && bytes.get(i + j) == label[j]) {
                        j++;
                    }
                    if (j == label.length) {
                        if (labelCount == labels.length) {
                            labels = Arrays.copyOf(labels, labelCount * 2);
                        }
                        labels[labelCount++] = i + 1;
                        i += label.length - 1;
                    }
                }
            }
            generation++;
            byte[] digits = String.format(Locale.ROOT, "%08x", generation).getBytes(StandardCharsets.US_ASCII);
            for (int k = 0; k < labelCount; k++) {
                for (int j = 0; j < 8; j++) {
                    bytes.put(labels[k] + j, digits[j]);
                }
            }
        }

        static LinePool render(Lines lines, int count) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(count * 120);
            int[] starts = new int[count + 1];
            int[] queriesBefore = new int[count + 1];
            int n = 0;
            while (n < count) {
                for (String l : lines.next()) {
                    if (n == count) {
                        break;
                    }
                    starts[n] = all.size();
                    queriesBefore[n + 1] = queriesBefore[n] + (QUERY.matcher(l).find() ? 1 : 0);
                    all.writeBytes(l.getBytes(StandardCharsets.UTF_8));
                    all.write('\n');
                    n++;
                }
            }
            starts[count] = all.size();
            ByteBuffer b = ByteBuffer.allocateDirect(all.size());
            b.put(all.toByteArray()).clear();
            return new LinePool(b, starts, queriesBefore);
        }

        int size() {
            return starts.length - 1;
        }

        int queriesIn(int from, int count) {
            return queriesBefore[from + count] - queriesBefore[from];
        }
    }

    private static final Pattern QUERY = Pattern.compile(": (?:(?:UDP|TCP) )?(?:\\d+ \\S+ )?query\\[");

    private interface Sender extends AutoCloseable {
        /** Sends lines {@code from .. from+count-1} of the pool (no wrap-around). */
        void send(LinePool pool, int from, int count) throws IOException;

        void flush() throws IOException;

        /** Whether the lines go over a byte stream, where lines written together arrive together. */
        boolean stream();

        @Override
        void close() throws IOException;
    }

    private static final class TcpSender implements Sender {
        private final SocketChannel[] channels;
        private @Nullable ByteBuffer view;
        private @Nullable LinePool viewOf; // the pool whose bytes view is a duplicate of
        private int turn;

        TcpSender(String host, int port, int connections) throws IOException {
            channels = new SocketChannel[connections];
            for (int i = 0; i < connections; i++) {
                channels[i] = SocketChannel.open();
                channels[i].socket().setSendBufferSize(4 * 1024 * 1024);
                channels[i].socket().connect(new InetSocketAddress(host, port), 5000);
                channels[i].setOption(StandardSocketOptions.TCP_NODELAY, false);
            }
        }

        @Override
        public void send(LinePool pool, int from, int count) throws IOException {
            ByteBuffer view = this.view;
            if (viewOf != pool || view == null) {
                viewOf = pool;
                view = pool.bytes.duplicate();
                this.view = view;
            }
            view.limit(pool.starts[from + count]).position(pool.starts[from]);
            SocketChannel c = channels[turn];
            turn = turn + 1 == channels.length ? 0 : turn + 1;
            while (view.hasRemaining()) {
                c.write(view);
            }
        }

        @Override
        public void flush() {
            // written at once
        }

        @Override
        public boolean stream() {
            return true;
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }

    private static final class UdpSender implements Sender {
        private final DatagramChannel channel;
        private @Nullable ByteBuffer view;
        private @Nullable LinePool viewOf; // the pool whose bytes view is a duplicate of

        UdpSender(String host, int port) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            channel.connect(new InetSocketAddress(host, port));
        }

        @Override
        public void send(LinePool pool, int from, int count) throws IOException {
            ByteBuffer view = this.view;
            if (viewOf != pool || view == null) {
                viewOf = pool;
                view = pool.bytes.duplicate();
                this.view = view;
            }
            int[] starts = pool.starts;
            for (int i = from, end = from + count; i < end; i++) {
                view.limit(starts[i + 1] - 1).position(starts[i]); // one datagram per line, without the newline
                channel.write(view);
            }
        }

        @Override
        public void flush() {
            // datagrams are sent at once
        }

        @Override
        public boolean stream() {
            return false;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
