package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A throw-away rsyslog (Debian's {@code rsyslogd}, never the system's instance or config) that relays what programs
 * log into a unix socket of its own to a syslog receiver on 127.0.0.1 with {@code omfwd}, the way users forward a
 * router's log. Everything it needs (config, socket, work directory, pid file, its own messages) lives in one
 * directory.
 */
public final class Rsyslog extends LocalRelay {
    /** omfwd's default template. */
    public static final String TRADITIONAL_FORWARD_FORMAT = "RSYSLOG_TraditionalForwardFormat";
    /** rsyslog's RFC 5424 template. */
    public static final String SYSLOG_PROTOCOL_23_FORMAT = "RSYSLOG_SyslogProtocol23Format";

    /** How omfwd sends: its {@code protocol} and, over TCP, its {@code TCP_Framing}. */
    public enum Transport {
        TCP_OCTET_COUNTED("tcp", "octet-counted"),
        TCP_LF("tcp", "traditional"),
        UDP("udp", null);

        final String protocol;
        final String framing;

        Transport(String protocol, String framing) {
            this.protocol = protocol;
            this.framing = framing;
        }
    }

    private final Path internalLog;

    private Rsyslog(Daemon daemon, Path socket, Path internalLog, String description) {
        super(daemon, socket, description);
        this.internalLog = internalLog;
    }

    /** {@code rsyslogd}, or null when rsyslog is not installed. */
    public static Path binary() {
        return Daemon.onPath("rsyslogd");
    }

    public static boolean available() {
        return binary() != null;
    }

    /**
     * Starts rsyslog in {@code dir} (which must exist), forwarding to 127.0.0.1:{@code port} over {@code transport}
     * with {@code template} (null: omfwd's default, which is {@link #TRADITIONAL_FORWARD_FORMAT}). Returns once its
     * socket accepts messages.
     */
    public static Rsyslog start(Path dir, Transport transport, String template, int port) throws Exception {
        Path rsyslogd = binary();
        if (rsyslogd == null) {
            throw new IllegalStateException("rsyslogd is not installed (scripts/prepare-relays.sh installs it)");
        }
        Path socket = dir.resolve("log.sock");
        Path work = Files.createDirectories(dir.resolve("work"));
        Path internalLog = dir.resolve("rsyslogd-internal.log");
        StringBuilder action = new StringBuilder("action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port
                + "\" protocol=\"" + transport.protocol + "\"");
        if (transport.framing != null) {
            action.append(" TCP_Framing=\"").append(transport.framing).append('"');
        }
        if (template != null) {
            action.append(" template=\"").append(template).append('"');
        }
        action.append(')');
        Files.writeString(
                dir.resolve("rsyslog.conf"),
                String.join(
                        "\n",
                        // its own messages into this config's rules (else rsyslog sends them to the system's /dev/log)
                        "global(workDirectory=\"" + work + "\" processInternalMessages=\"on\")",
                        // a socket of its own: never /dev/log
                        "module(load=\"imuxsock\" SysSock.Use=\"off\")",
                        "input(type=\"imuxsock\" Socket=\"" + socket
                                + "\" RateLimit.Interval=\"0\" Ruleset=\"forward\")",
                        "ruleset(name=\"forward\") {",
                        "    " + action,
                        "}",
                        // rsyslog's own messages (start, errors) go to a file, not to the receiver
                        "action(type=\"omfile\" file=\"" + internalLog + "\")",
                        ""));
        Daemon daemon = Daemon.start(
                "rsyslogd",
                List.of(
                        rsyslogd.toString(),
                        "-n",
                        "-f",
                        dir.resolve("rsyslog.conf").toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString()),
                Map.of(),
                dir);
        String description = "rsyslog omfwd " + transport.protocol
                + (transport.framing == null ? "" : " TCP_Framing=" + transport.framing)
                + " template=" + (template == null ? "(default)" : template);
        Rsyslog r = new Rsyslog(daemon, socket, internalLog, description);
        r.awaitSocket();
        return r;
    }

    /** rsyslog's standard output and error, and its own log messages. */
    @Override
    public String output() {
        String internal = "";
        try {
            if (Files.exists(internalLog)) {
                internal = Files.readString(internalLog);
            }
        } catch (IOException e) {
            internal = e.toString();
        }
        return super.output() + internal;
    }
}
