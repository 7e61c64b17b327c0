package io.routerlog.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** routerlog started from its jar as a separate process, on free loopback ports. */
public final class RouterLogProcess implements AutoCloseable {
    /** Long enough for a clean shutdown that flushes and leaves the cluster. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    public final int syslogPort;
    public final int httpPort;
    public final Process process;
    private final Path log;

    private RouterLogProcess(int syslogPort, int httpPort, Process process, Path log) {
        this.syslogPort = syslogPort;
        this.httpPort = httpPort;
        this.process = process;
        this.log = log;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("routerlog.jar", "target/routerlog.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn package");
        }
        return jar;
    }

    /** Runs the jar with {@code args} on new free ports and returns once /healthz says ok. */
    public static RouterLogProcess start(String... extraArgs) throws Exception {
        return start(freePortForUdpAndTcp(), freePortForUdpAndTcp(), List.of(), List.of(extraArgs));
    }

    /**
     * Runs the jar on the given ports, with JVM options and routerlog arguments, and returns once /healthz says
     * ok.
     */
    public static RouterLogProcess start(int syslog, int http, List<String> jvmArgs, List<String> extraArgs)
            throws Exception {
        return start(syslog, http, jvmArgs, extraArgs, Map.of());
    }

    /** As {@link #start(int, int, List, List)}, with {@code env} added to the process's environment. */
    public static RouterLogProcess start(
            int syslog, int http, List<String> jvmArgs, List<String> extraArgs, Map<String, String> env)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx256m"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of(
                "-jar",
                jar().toString(),
                "--listen-address",
                "127.0.0.1",
                "--http-address",
                "127.0.0.1",
                "--syslog-port",
                Integer.toString(syslog),
                "--http-port",
                Integer.toString(http),
                "--flush-interval",
                "200ms"));
        cmd.addAll(extraArgs);
        Path log = Files.createTempFile("routerlog-it", ".log");
        Process p = Command.of(cmd).env(env).start(log);
        RouterLogProcess r = new RouterLogProcess(syslog, http, p, log);
        boolean healthy = Waiting.upTo(Duration.ofSeconds(60), Duration.ofMillis(50), () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("routerlog exited with " + p.exitValue() + ":\n" + r.output());
            }
            try {
                return Http.get(http, "/healthz").statusCode() == 200;
            } catch (IOException notYet) {
                return false; // not listening yet
            }
        });
        if (healthy) {
            return r;
        }
        r.close();
        throw new IllegalStateException("routerlog did not become healthy:\n" + r.output());
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port that is free for both TCP and UDP on 127.0.0.1 right now. */
    @SuppressWarnings("try") // the UDP socket is only held open, to see that the port is free for both
    public static int freePortForUdpAndTcp() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 200; attempt++) {
            // below Linux's ephemeral range (32768-60999 by default): a port the kernel hands out for an outgoing
            // connection, such as a cluster member's, cannot take it between this check and the node's bind
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
            try (ServerSocket s = new ServerSocket(port, 1, lo);
                    DatagramSocket d = new DatagramSocket(new InetSocketAddress(lo, port))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port");
    }

    public Exposition metrics() throws Exception {
        return Http.metrics(httpPort);
    }

    /** Polls /metrics until {@code messages} frames were received, waits for a flush, and returns a scrape. */
    public Exposition settle(long messages) throws Exception {
        Waiting.upTo(
                Duration.ofSeconds(20),
                Duration.ofMillis(50),
                () -> metrics().samples("routerlog_syslog_messages_total").stream()
                                .mapToDouble(Exposition.Sample::value)
                                .sum()
                        >= messages);
        Thread.sleep(600); // more than two flush intervals
        return metrics();
    }

    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        Command.stop(process, STOP_GRACE);
        Files.deleteIfExists(log);
    }
}
