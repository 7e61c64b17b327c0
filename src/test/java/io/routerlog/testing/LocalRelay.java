package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A syslog relay daemon started by a test (rsyslog, syslog-ng): programs log into a unix socket of its own, and it
 * forwards what they log. What the relays share: waiting for the socket, logging into it, output, stopping.
 */
public abstract class LocalRelay implements AutoCloseable {
    private final Daemon daemon;
    private final Path socket;
    private final String description;

    LocalRelay(Daemon daemon, Path socket, String description) {
        this.daemon = daemon;
        this.socket = socket;
        this.description = description;
    }

    /** Waits until the socket exists; stops the relay and rethrows when it does not come up. */
    void awaitSocket() {
        try {
            daemon.awaitFile(socket, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The unix datagram socket programs log into. */
    public Path socket() {
        return socket;
    }

    /** Logs {@code lines} into the relay as program {@code program} with process id {@code pid}. */
    public void log(String program, int pid, List<String> lines) throws IOException {
        if (!daemon.isAlive()) {
            throw new IllegalStateException(this + " is not running:\n" + output());
        }
        LocalLogger.send(socket, program, pid, lines);
    }

    /** What the daemon wrote to standard output and error. */
    public String output() {
        return daemon.output();
    }

    @Override
    public void close() {
        daemon.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
