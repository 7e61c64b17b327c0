package io.routerlog.source;

import io.routerlog.config.FileReasons;
import io.routerlog.event.DhcpLease;
import io.routerlog.event.EventSink;
import io.routerlog.parser.LeaseFileParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Learns DHCP identities from a dnsmasq lease file: once at start, then again whenever its modification time
 * changes (checked every few seconds on {@code routerlog-leases}).
 */
public final class LeasesFileWatcher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LeasesFileWatcher.class);

    private final Path file;
    private final String router;
    private final EventSink sink;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "routerlog-leases");
        t.setDaemon(true);
        return t;
    });
    private long lastModified = Long.MIN_VALUE;

    /** @param router the router whose leases the file holds */
    public LeasesFileWatcher(Path file, String router, EventSink sink, LongSupplier clock) {
        this.file = file;
        this.router = router;
        this.sink = sink;
        this.clock = clock;
    }

    /** Reads the file now and then watches it. */
    public LeasesFileWatcher start(long checkEveryMillis) {
        readIfChanged();
        // runs until close(); readIfChanged catches and logs what a read throws, so the future never fails
        var unused = thread.scheduleWithFixedDelay(
                this::readIfChanged, checkEveryMillis, checkEveryMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reads the file when it changed since the last read; returns the number of leases read, or -1. */
    int readIfChanged() {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified == lastModified) {
                return -1;
            }
            lastModified = modified;
            List<DhcpLease> leases = LeaseFileParser.parse(
                    router, Files.readAllLines(file, StandardCharsets.UTF_8), modified, clock.getAsLong());
            leases.forEach(sink::lease);
            LOG.info("Read {} DHCP leases from {}", leases.size(), file);
            return leases.size();
        } catch (IOException e) {
            LOG.warn("Cannot read the lease file {}: {}", file, FileReasons.reason(file, e));
            return -1;
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the lease file {}: {}", file, e.toString());
            return -1;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
