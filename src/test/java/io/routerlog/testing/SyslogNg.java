package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away syslog-ng that relays what programs log into a unix datagram socket of its own to a syslog receiver
 * on 127.0.0.1. It runs from {@link #home()}: Debian's syslog-ng-core unpacked by scripts/prepare-relays.sh (the
 * package conflicts with rsyslog, so it is not installed), with its private libraries and plugins from there. Its
 * config, socket, persist, pid and control files live in one directory; it needs no capabilities.
 */
public final class SyslogNg extends LocalRelay {
    /** Where scripts/prepare-relays.sh unpacks syslog-ng unless SYSLOG_NG_TEST_HOME says otherwise. */
    public static final Path DEFAULT_HOME = Path.of("/opt/routerlog-test/syslog-ng");

    /** The destination driver and its transport. */
    public enum Destination {
        /** {@code syslog()} over TCP: RFC 5424, octet-counted (RFC 6587). */
        SYSLOG_TCP("syslog()", "tcp"),
        /** {@code syslog()} over TLS (RFC 5425), the server's certificate checked against a CA file. */
        SYSLOG_TLS("syslog()", "tls"),
        /** {@code network()} over TCP: the BSD format, one line each. */
        NETWORK_TCP("network()", "tcp"),
        /** {@code network()} over UDP: the BSD format, one datagram each. */
        NETWORK_UDP("network()", "udp");

        final String driver;
        final String transport;

        Destination(String driver, String transport) {
            this.driver = driver;
            this.transport = transport;
        }

        String config(int port, Path caFile) {
            String name = driver.substring(0, driver.length() - 2);
            String tls = "";
            if (transport.equals("tls")) {
                if (caFile == null) {
                    throw new IllegalArgumentException("TLS needs the CA file that signed the receiver's certificate");
                }
                tls = " tls(ca-file(\"" + caFile + "\") peer-verify(required-trusted))";
            }
            return name + "(\"127.0.0.1\" port(" + port + ") transport(\"" + transport + "\")" + tls + ")";
        }
    }

    /** syslog-ng logs its own messages to standard error, which {@link #output} holds. */
    private SyslogNg(Daemon daemon, Path socket, String description) {
        super(daemon, socket, description);
    }

    /**
     * The root syslog-ng-core was unpacked into: SYSLOG_NG_TEST_HOME, else {@link #DEFAULT_HOME}, else "/"
     * when syslog-ng is installed as a package.
     */
    public static Path home() {
        String env = System.getenv("SYSLOG_NG_TEST_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if (Files.isDirectory(DEFAULT_HOME) || !Files.isExecutable(Path.of("/usr/sbin/syslog-ng"))) {
            return DEFAULT_HOME;
        }
        return Path.of("/");
    }

    public static boolean available() {
        return Files.isExecutable(home().resolve("usr/sbin/syslog-ng"));
    }

    /** The environment syslog-ng's programs need to find their private libraries (and loggen its plugins). */
    static Map<String, String> environment() {
        Path home = home();
        return Map.of(
                "LD_LIBRARY_PATH",
                home.resolve("usr/lib/syslog-ng").toString(),
                "SYSLOGNG_PREFIX",
                home.resolve("usr").toString());
    }

    /** The plugin directory, usr/lib/syslog-ng/MAJOR.MINOR. */
    static Path modulePath() throws IOException {
        Path lib = home().resolve("usr/lib/syslog-ng");
        try (Stream<Path> dirs = Files.list(lib)) {
            return dirs.filter(d ->
                            Files.isDirectory(d) && d.getFileName().toString().matches("\\d+\\.\\d+"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no plugin directory in " + lib));
        }
    }

    /**
     * Starts syslog-ng in {@code dir} (which must exist), forwarding everything logged into its socket to
     * 127.0.0.1:{@code port} with {@code destination}; {@code caFile} is the CA that signed the receiver's TLS
     * certificate (TLS only). Returns once its socket accepts messages.
     */
    public static SyslogNg start(Path dir, Destination destination, int port, Path caFile) throws Exception {
        if (!available()) {
            throw new IllegalStateException(
                    "syslog-ng is not unpacked in " + home() + " (scripts/prepare-relays.sh does it)");
        }
        Path socket = dir.resolve("log.sock");
        String version = modulePath().getFileName().toString();
        Files.writeString(
                dir.resolve("syslog-ng.conf"),
                String.join(
                        "\n",
                        "@version: " + version,
                        // no name lookups; retry a failed connection after a second, not a minute
                        "options { keep-hostname(yes); use-dns(no); dns-cache(no); time-reopen(1); };",
                        "source s_local { unix-dgram(\"" + socket + "\"); };",
                        "destination d_receiver { " + destination.config(port, caFile) + "; };",
                        "log { source(s_local); destination(d_receiver); };",
                        ""));
        // in the foreground, its own messages on stderr, no capabilities, every file of its own in dir
        Daemon daemon = Daemon.start(
                "syslog-ng",
                List.of(
                        home().resolve("usr/sbin/syslog-ng").toString(),
                        "--foreground",
                        "--stderr",
                        "--no-caps",
                        "--cfgfile",
                        dir.resolve("syslog-ng.conf").toString(),
                        "--module-path",
                        modulePath().toString(),
                        "--persist-file",
                        dir.resolve("syslog-ng.persist").toString(),
                        "--pidfile",
                        dir.resolve("syslog-ng.pid").toString(),
                        "--control",
                        dir.resolve("syslog-ng.ctl").toString()),
                environment(),
                dir);
        SyslogNg s = new SyslogNg(
                daemon,
                socket,
                "syslog-ng " + destination.driver + " over " + destination.transport.toUpperCase(Locale.ROOT));
        s.awaitSocket();
        return s;
    }
}
