package io.routerlog.tools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.routerlog.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code routerlog loadgen}: sends dnsmasq log lines in OpenWrt's logd format to a syslog receiver at a fixed or
 * stepped rate, generated (many clients, Zipf-distributed domains, the usual mix of query, forwarded, reply, cached
 * and block-list lines) or replayed from a dnsmasq log file; prints a progress line every second and, with
 * {@code --metrics}, compares what the receiver counted with what was sent.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Send dnsmasq log lines in OpenWrt's syslog format at a given rate, and check what the "
                + "receiver counted.")
public final class LoadGen implements Callable<Integer> {
    private static final Pattern FILE_LINE = Pattern.compile("^(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (.*)$");

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5514",
            description = "Syslog receiver. Default: ${DEFAULT-VALUE}.")
    String target;

    @Option(names = "--protocol", paramLabel = "tcp|udp", defaultValue = "tcp", description = "Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = "--rate", paramLabel = "LINES/S", split = ",", defaultValue = "1000",
            description = "Lines per second; several (comma-separated) make steps of --duration each. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<Integer> rates;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long each rate is sent. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--clients", defaultValue = "200", description = "Distinct clients at a time. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--domains", defaultValue = "20000", description = "Distinct domains at a time. Default: ${DEFAULT-VALUE}.")
    int domains;

    @Option(names = "--zipf", defaultValue = "1.1", description = "Zipf exponent of domain popularity. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(names = "--churn", paramLabel = "N/MIN", defaultValue = "0",
            description = "Clients and domains replaced by new ones per minute. Default: ${DEFAULT-VALUE}.")
    int churn;

    @Option(names = "--replay", paramLabel = "FILE",
            description = "Send the lines of this dnsmasq log file (log-facility format) instead of generated ones, "
                    + "over and over.")
    Path replay;

    @Option(names = "--metrics", paramLabel = "URL",
            description = "The receiver's /metrics: compare what it counted with what was sent.")
    String metrics;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    private long sent;
    private long queries;

    @Override
    public Integer call() throws Exception {
        Duration step = Units.duration(duration);
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        boolean udp = protocol.toLowerCase(Locale.ROOT).equals("udp");
        Lines lines = replay != null ? new Replay(Files.readAllLines(replay)) : new Generated(
                new TrafficModel(clients, domains, zipf, seed));
        double[] before = metrics == null ? null : counted();
        long start = System.nanoTime();
        try (Sender out = udp ? new UdpSender(host, port) : new TcpSender(host, port)) {
            for (int rate : rates) {
                run(out, lines, rate, step);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "loadgen: sent %d lines (%d queries) in %.1f s, %.0f lines/s%n",
                sent, queries, seconds, sent / seconds);
        if (metrics == null) {
            return 0;
        }
        double[] after = waitForCounts(before);
        long received = (long) (after[0] - before[0]);
        long counted = (long) (after[1] - before[1]);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "loadgen: receiver counted %d of %d lines (%d lost) and %d of %d queries%n",
                received, sent, sent - received, counted, queries);
        return received == sent && counted == queries ? 0 : 1;
    }

    private void run(Sender out, Lines lines, int rate, Duration step) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long end = start + step.toNanos();
        long nanosPerLine = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
        long nextProgress = start + TimeUnit.SECONDS.toNanos(1);
        long nextChurn = start + TimeUnit.MINUTES.toNanos(1);
        long stepSent = 0;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            long due = (now - start) / nanosPerLine;
            if (stepSent >= due) {
                long wait = start + stepSent * nanosPerLine - now;
                if (wait > 200_000) {
                    out.flush();
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
                }
                continue;
            }
            for (String line : lines.next()) {
                out.send(line);
                sent++;
                stepSent++;
            }
            queries++;
            if (now >= nextProgress) {
                nextProgress += TimeUnit.SECONDS.toNanos(1);
                spec.commandLine().getErr().printf(Locale.ROOT, "loadgen: %4.0f s at %d lines/s: %d lines sent%n",
                        (now - start) / 1e9, rate, sent);
            }
            if (churn > 0 && now >= nextChurn) {
                nextChurn += TimeUnit.MINUTES.toNanos(1);
                lines.churn(churn);
            }
        }
        out.flush();
    }

    /** [syslog messages, dnsmasq query lines] the receiver reports. */
    private double[] counted() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
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

    private interface Sender extends AutoCloseable {
        void send(String line) throws IOException;

        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class TcpSender implements Sender {
        private final Socket socket;
        private final OutputStream out;

        TcpSender(String host, int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5000);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        @Override
        public void send(String line) throws IOException {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
            socket.close();
        }
    }

    private static final class UdpSender implements Sender {
        private final DatagramChannel channel;

        UdpSender(String host, int port) throws IOException {
            channel = DatagramChannel.open();
            channel.connect(new InetSocketAddress(host, port));
        }

        @Override
        public void send(String line) throws IOException {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void flush() {
            // datagrams are sent at once
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
