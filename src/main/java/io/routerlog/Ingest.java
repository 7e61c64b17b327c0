package io.routerlog;

import io.routerlog.config.Converters;
import io.routerlog.config.FileReasons;
import io.routerlog.config.Units;
import io.routerlog.source.PcapReader;
import io.routerlog.source.PortTally;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code routerlog ingest FILE...}: counts the DNS packets of pcap/pcapng files (gzip-compressed or not) into the
 * store, as a node of its own: it starts a store member with the same options as the appliance (so it joins the
 * cluster that {@code --cluster-members} and friends name, and its counts stay there after it leaves), reads the
 * files, flushes, prints a summary and exits. A lone node keeps its counts only while it runs: with
 * {@code --serve-after} it serves {@code /metrics} for that long before exiting.
 */
@Command(
        name = "ingest",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = "routerlog ingest [OPTION]... FILE...",
        descriptionHeading = "%n",
        // one element per paragraph: picocli wraps each to the width; the first is the summary in routerlog --help
        description = {
            "Count the DNS packets of capture files (pcap or pcapng, gzip-compressed or not) like query log lines.",
            "",
            "Per client/domain/type counts, reply outcomes, DNSTT queries with real bytes in and out. The counts go "
                    + "to the cluster given by the cluster options (the node joins, flushes and leaves); without a "
                    + "cluster use --serve-after to scrape /metrics before the node exits. Exit code 1 when a file "
                    + "could not be read or is not a capture.",
            ""
        })
public final class Ingest implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Mixin
    HelpOptions help;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files; - reads standard input.")
    List<String> files;

    @Option(
            names = "--serve-after",
            paramLabel = "DURATION",
            defaultValue = "0s",
            order = 50,
            converter = Converters.DurationValue.class,
            description = "After reading, keep serving /metrics on --http-port for this long (0: do not serve at "
                    + "all). Default: ${DEFAULT-VALUE}.")
    Duration serve;

    @Option(
            names = "--progress",
            paramLabel = "WHEN",
            defaultValue = "auto",
            order = 51,
            description = "Progress bar on standard error: auto (when it is a terminal), always or never. "
                    + "Default: ${DEFAULT-VALUE}.")
    String progress;

    @Override
    @SuppressWarnings("SystemConsoleNull") // on Java 17, which routerlog runs on, null means no terminal
    public Integer call() throws Exception {
        Settings settings = options.toSettings(spec);
        String when = progress.strip().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "always", "never").contains(when)) {
            throw new ParameterException(spec.commandLine(), "--progress must be auto, always or never: " + progress);
        }
        boolean showProgress = when.equals("always") || (when.equals("auto") && System.console() != null);
        // a command's output is its summary: routerlog's own info lines only when asked for
        boolean levelGiven = spec.commandLine().getParseResult().hasMatchedOption("--log-level")
                || System.getenv("ROUTERLOG_LOG_LEVEL") != null;
        Configurator.setLevel("io.routerlog", levelGiven ? Level.toLevel(settings.logLevel(), Level.WARN) : Level.WARN);
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
            int read = 0;
            long skippedBytes = 0;
            try {
                for (String f : files) {
                    long bytesBefore = c.bytes.sum();
                    String problem = readOne(f, reader, settings.capture().port(), c, err);
                    if (problem != null) {
                        err.println("routerlog ingest: " + problem);
                        skippedBytes += c.bytes.sum() - bytesBefore;
                        status = 1;
                    } else {
                        read++;
                    }
                }
            } finally {
                if (bar != null) {
                    bar.finish();
                }
            }
            node.flush();
            out.println(
                    "ingested " + (read == files.size() ? read + " file(s)" : read + " of " + files.size() + " file(s)")
                            + ", " + (c.bytes.sum() - skippedBytes) + " bytes: " + c);
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

    /**
     * Reads one file (or standard input for {@code -}) and says on {@code err} what the user should know about a
     * file that was read (cut short, no packet on the DNS port).
     *
     * @return why the file could not be read at all ("FILE: not a pcap or pcapng file"), or null once it was read
     */
    static @Nullable String readOne(String f, PcapReader reader, int dnsPort, PacketCounters c, PrintWriter err) {
        String name = f.equals("-") ? "standard input" : f;
        long packets = c.packets.sum();
        long dns = c.dnsMessages.sum();
        reader.otherPorts().clear();
        PcapReader.Result result;
        try (InputStream in = f.equals("-") ? System.in : Files.newInputStream(Path.of(f))) {
            result = reader.read(in);
        } catch (IOException e) {
            return f.equals("-") ? name + ": " + e.getMessage() : FileReasons.cannotRead(Path.of(f), e);
        }
        switch (result) {
            case EMPTY -> {
                return name + ": empty, not a capture";
            }
            case NOT_A_CAPTURE -> {
                return name + ": not a pcap or pcapng file (plain or gzip-compressed)";
            }
            case TRUNCATED ->
                err.println("routerlog ingest: " + name + ": truncated or corrupt, read up to the damage");
            case READ -> {
                // nothing to say
            }
        }
        long filePackets = c.packets.sum() - packets;
        if (filePackets > 0 && c.dnsMessages.sum() == dns) {
            err.println("routerlog ingest: " + name + ": " + noDns(filePackets, dnsPort, reader.otherPorts()));
        }
        return null;
    }

    /** What to say about a capture with packets but no DNS message on the DNS port. */
    static String noDns(long packets, int dnsPort, PortTally ports) {
        StringBuilder s = new StringBuilder()
                .append(packets)
                .append(" packet(s), none to or from port ")
                .append(dnsPort);
        List<Integer> top = ports.top(3);
        if (top.isEmpty()) {
            return s.append(" (no UDP or TCP at all)").toString();
        }
        s.append("; the ports seen most: ");
        for (int i = 0; i < top.size(); i++) {
            s.append(i == 0 ? "" : ", ")
                    .append(top.get(i))
                    .append(" (")
                    .append(ports.count(top.get(i)))
                    .append(')');
        }
        return s.append(". Was DNS on another port? Then read it with --capture-port ")
                .append(top.get(0))
                .toString();
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
                s.append('[')
                        .append("#".repeat(filled))
                        .append(" ".repeat(width - filled))
                        .append("] ")
                        .append(String.format(Locale.ROOT, "%3d%% ", (int) (f * 100)))
                        .append(mib(bytes))
                        .append('/')
                        .append(mib(total))
                        .append(" MiB");
            } else {
                s.append(mib(bytes)).append(" MiB");
            }
            return s.append("  ")
                    .append(packets)
                    .append(" packets  ")
                    .append(queries)
                    .append(" queries")
                    .toString();
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
