package io.routerlog;

import io.routerlog.config.RunOptions;
import io.routerlog.config.Settings;
import io.routerlog.config.Units;
import io.routerlog.source.PcapReader;
import io.routerlog.stats.PacketCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code routerlog ingest FILE...}: counts the DNS packets of pcap/pcapng files (gzip-compressed or not) into the
 * store, as a node of its own: it starts a store member with the same options as the appliance (so it joins the
 * cluster that {@code --cluster-members} and friends name, and its counts stay there after it leaves), reads the
 * files, flushes, prints a summary and exits. A lone node keeps its counts only while it runs: with
 * {@code --serve-after} it serves {@code /metrics} for that long before exiting.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Count the DNS packets of capture files (pcap or pcapng, gzip-compressed or not) like query log lines:",
            "per client/domain/type counts, reply outcomes, DNSTT queries with real bytes in and out.",
            "The counts go to the cluster given by the cluster options (the node joins, flushes and leaves);",
            "without a cluster use --serve-after to scrape /metrics before the node exits.",
            ""})
public final class Ingest implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files; - reads standard input.")
    List<String> files;

    @Option(names = "--serve-after", paramLabel = "DURATION", defaultValue = "0s",
            description = "After reading, keep serving /metrics on --http-port for this long (0: do not serve at "
                    + "all). Default: ${DEFAULT-VALUE}.")
    String serveAfter;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress bar on standard error: auto (when it is a terminal), always or never. "
                    + "Default: ${DEFAULT-VALUE}.")
    String progress;

    @Override
    public Integer call() throws Exception {
        Settings settings = options.toSettings(spec);
        Duration serve;
        try {
            serve = Units.duration(serveAfter);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--serve-after: " + e.getMessage());
        }
        String when = progress.strip().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "always", "never").contains(when)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--progress must be auto, always or never: " + progress);
        }
        boolean showProgress = when.equals("always") || (when.equals("auto") && System.console() != null);
        // a command's output is its summary: routerlog's own info lines only when asked for
        boolean levelGiven = spec.commandLine().getParseResult().hasMatchedOption("--log-level")
                || System.getenv("ROUTERLOG_LOG_LEVEL") != null;
        Configurator.setLevel("io.routerlog", levelGiven ? Level.toLevel(settings.logLevel(), Level.WARN)
                : Level.WARN);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int status = 0;
        try (RouterLog node = RouterLog.startForIngest(settings, !serve.isZero())) {
            PacketCounters c = node.packetCounters();
            PcapReader reader = node.newPacketReader();
            long total = 0;
            for (String f : files) {
                if (!f.equals("-")) {
                    try {
                        total += Files.size(Path.of(f));
                    } catch (IOException e) {
                        // reported when it is read
                    }
                }
            }
            Progress bar = showProgress ? new Progress(err, c, total) : null;
            if (bar != null) {
                bar.start();
            }
            try {
                for (String f : files) {
                    try (InputStream in = f.equals("-") ? System.in : Files.newInputStream(Path.of(f))) {
                        long truncated = c.truncatedFiles.sum();
                        reader.read(in);
                        if (c.truncatedFiles.sum() > truncated) {
                            err.println("routerlog ingest: " + f + ": truncated or corrupt, read up to the damage");
                        }
                    } catch (IOException e) {
                        err.println("routerlog ingest: " + (f.equals("-") ? "standard input: " + e.getMessage()
                                : io.routerlog.config.FileReasons.cannotRead(Path.of(f), e)));
                        status = 1;
                    }
                }
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            node.flush();
            out.println("ingested " + files.size() + " file(s), " + c.bytes.sum() + " bytes: " + c);
            out.flush();
            err.flush();
            if (!serve.isZero()) {
                out.println("serving /metrics on port " + node.httpPort() + " for " + Units.format(serve));
                out.flush();
                Thread.sleep(serve.toMillis());
            }
        }
        return status;
    }

    /** A one-line progress bar, redrawn five times a second. */
    static final class Progress extends Thread {
        private final PrintWriter err;
        private final PacketCounters c;
        private final long total;
        private volatile boolean done;

        Progress(PrintWriter err, PacketCounters c, long total) {
            super("routerlog-progress");
            setDaemon(true);
            this.err = err;
            this.c = c;
            this.total = total;
        }

        @Override
        public void run() {
            while (!done) {
                draw();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void draw() {
            err.print('\r' + line(c.bytes.sum(), total, c.packets.sum(), c.queries.sum()));
            err.flush();
        }

        static String line(long bytes, long total, long packets, long queries) {
            int width = 30;
            StringBuilder s = new StringBuilder();
            if (total > 0) {
                double f = Math.min(1.0, (double) bytes / total);
                int filled = (int) Math.round(f * width);
                s.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
                        .append(String.format(Locale.ROOT, "%3d%% ", (int) (f * 100)))
                        .append(mib(bytes)).append('/').append(mib(total)).append(" MiB");
            } else {
                s.append(mib(bytes)).append(" MiB");
            }
            return s.append("  ").append(packets).append(" packets  ").append(queries).append(" queries").toString();
        }

        private static String mib(long n) {
            return String.format(Locale.ROOT, "%.1f", n / 1048576.0);
        }

        void finish() throws InterruptedException {
            done = true;
            interrupt();
            join(1000);
            draw();
            err.println();
            err.flush();
        }
    }
}
