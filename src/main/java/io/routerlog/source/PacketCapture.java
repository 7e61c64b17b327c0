package io.routerlog.source;

import io.routerlog.config.SettingException;
import io.routerlog.stats.PacketCounters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Live capture of DNS packets on one interface: runs {@code tcpdump -i IF -U -w - -s 0 'port N'} as a child
 * process and reads its pcap stream with a {@link PcapReader} on a thread of its own, whose {@link PacketDecoder}
 * decodes the frames exactly as those of capture files. tcpdump needs CAP_NET_RAW
 * (root, or {@code setcap cap_net_raw,cap_net_admin=eip} on it); {@link #start} fails with tcpdump's own one-line
 * reason when it is missing or refuses.
 */
@SuppressWarnings("try") // close() waits for tcpdump and the reader; an interrupt then is the caller's to handle
public final class PacketCapture implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(PacketCapture.class);
    static final long START_TIMEOUT_MILLIS = 10_000;

    private final String iface;
    private final Process process;
    private final Thread reader;
    private volatile boolean closing;

    private PacketCapture(String iface, Process process, Thread reader) {
        this.iface = iface;
        this.process = process;
        this.reader = reader;
    }

    /** The tcpdump command line for {@code iface} and {@code port}. */
    static List<String> command(String tcpdump, String iface, int port) {
        return List.of(tcpdump, "-i", iface, "-U", "-w", "-", "-s", "0", "-n", "port " + port);
    }

    /**
     * Starts tcpdump and returns once it listens. {@code pcapReader} reads the stream (on the new thread).
     *
     * @throws SettingException when tcpdump is missing, the interface does not exist or capturing is not permitted
     * @throws IllegalStateException with tcpdump's one-line reason when it does not start otherwise
     */
    public static PacketCapture start(
            String tcpdump, String iface, int port, PcapReader pcapReader, PacketCounters counters)
            throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command(tcpdump, iface, port)).start();
        } catch (IOException e) {
            throw new SettingException(
                    "--capture-interface",
                    iface + ": cannot run tcpdump (" + e.getMessage() + "); install it (apt-get install tcpdump)");
        }
        CompletableFuture<String> listening = new CompletableFuture<>();
        StringBuilder lastError = new StringBuilder();
        Thread errors = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            if (line.contains("listening on")) {
                                listening.complete(line);
                            } else if (!line.isBlank()) {
                                synchronized (lastError) {
                                    // tcpdump's reason is its "tcpdump: ..." line; details may follow in parentheses
                                    if (lastError.indexOf("tcpdump:") != 0) {
                                        lastError.setLength(0);
                                        lastError.append(line.strip());
                                    } else if (lastError.length() < 300) {
                                        lastError.append(' ').append(line.strip());
                                    }
                                }
                                LOG.debug("tcpdump: {}", line);
                            }
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                    listening.complete(null);
                },
                "routerlog-capture-stderr");
        errors.setDaemon(true);
        errors.start();
        String started;
        try {
            started = listening.get(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            started = null;
        }
        if (started == null) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            String why;
            synchronized (lastError) {
                why = lastError.length() == 0 ? "tcpdump did not start" : lastError.toString();
            }
            boolean denied = why.contains("ermission") || why.contains("not permitted");
            if (denied) {
                why += " (capturing needs CAP_NET_RAW: run as root or give tcpdump the capability)";
            }
            if (denied || why.contains("No such device") || why.contains("doesn't exist")) {
                throw new SettingException("--capture-interface", iface + ": " + why);
            }
            throw new IllegalStateException("--capture-interface " + iface + ": " + why);
        }
        PacketCapture[] self = new PacketCapture[1];
        Thread t = new Thread(
                () -> {
                    try {
                        pcapReader.read(p.getInputStream());
                    } catch (IOException e) {
                        if (!self[0].closing) {
                            LOG.warn("Capture on {} stopped: {}", iface, e.toString());
                        }
                    }
                    if (!self[0].closing) {
                        LOG.warn("tcpdump on {} ended (exit {}): {}", iface, exitValue(p), lastError);
                    }
                },
                "routerlog-capture");
        t.setDaemon(true);
        self[0] = new PacketCapture(iface, p, t);
        t.start();
        LOG.info("Capturing DNS on {} port {}", iface, port);
        return self[0];
    }

    private static String exitValue(Process p) {
        try {
            p.waitFor(1, TimeUnit.SECONDS);
            return p.isAlive() ? "running" : Integer.toString(p.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Stops tcpdump (which writes out what it buffered) and waits until the reader has handed on every packet. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        process.destroy(); // SIGTERM: tcpdump flushes and exits
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        LOG.debug("Capture on {} stopped", iface);
    }
}
