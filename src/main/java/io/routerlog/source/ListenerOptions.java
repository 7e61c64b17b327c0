package io.routerlog.source;

import io.routerlog.config.Checks;
import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import io.routerlog.config.Spellings;
import io.routerlog.stats.Transport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options of the syslog listeners, as picocli fills them. The {@code order} of each option is its place in
 * {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class ListenerOptions {
    private static final long MAX_FRAME_LIMIT = 16L << 20;

    @Option(
            names = "--listen-address",
            paramLabel = "ADDR",
            defaultValue = "0.0.0.0",
            order = 2,
            converter = Converters.AddressValue.class,
            description =
                    "Address to receive syslog on, UDP and TCP (:: for all IPv4 and IPv6). Default: ${DEFAULT-VALUE}.")
    InetAddress listenAddress;

    @Option(
            names = "--syslog-port",
            paramLabel = "PORT",
            defaultValue = "5514",
            order = 3,
            converter = Converters.PortValue.class,
            description = "Port for syslog, UDP and TCP alike. 514 needs the CAP_NET_BIND_SERVICE capability. "
                    + "Default: ${DEFAULT-VALUE}.")
    int syslogPort;

    @Option(
            names = "--syslog-transports",
            paramLabel = "LIST",
            split = ",",
            order = 4,
            description = "Which syslog listeners to open: udp, tcp (both on --syslog-port) and tls (on "
                    + "--syslog-tls-port), comma-separated. UDP senders' addresses can be forged, which --allow-from "
                    + "cannot tell; leave udp out when the routers send over TCP. Default: udp,tcp, and tls with "
                    + "--syslog-tls-port.")
    List<String> syslogTransports;

    @Option(
            names = "--syslog-tls-port",
            paramLabel = "PORT",
            order = 7,
            converter = Converters.PortValue.class,
            description = "Also receive syslog over TLS (RFC 5425, usually 6514) with --tls-cert and --tls-key.")
    Integer syslogTlsPort;

    @Option(
            names = "--router-label",
            paramLabel = "FROM",
            defaultValue = "hostname",
            order = 7,
            description = "What names the router a message came from, in the router label and the API: hostname "
                    + "(the syslog HOSTNAME, or the sender's address when the message has none) or sender (always "
                    + "the sender's address). Routers that all call themselves OpenWrt need distinct log_hostname "
                    + "settings, or sender. Default: ${DEFAULT-VALUE}.")
    String routerLabel;

    @Option(
            names = "--max-frame",
            paramLabel = "SIZE",
            defaultValue = "64KiB",
            order = 14,
            converter = Converters.SizeValue.class,
            description =
                    "Longest syslog message accepted; longer ones are skipped and counted. Default: ${DEFAULT-VALUE}.")
    long maxFrame;

    @Option(
            names = "--max-buffered",
            paramLabel = "SIZE",
            defaultValue = "32MiB",
            order = 15,
            converter = Converters.SizeValue.class,
            description = "Memory all syslog TCP connections together may hold in unfinished messages (at least "
                    + "--max-frame); beyond it the connection holding the most is closed. Default: ${DEFAULT-VALUE}.")
    long maxBuffered;

    @Option(
            names = "--udp-receive-buffer",
            paramLabel = "SIZE",
            defaultValue = "128MiB",
            order = 16,
            converter = Converters.SizeValue.class,
            description =
                    "Kernel receive buffer for UDP: SO_RCVBUF, capped by net.core.rmem_max unless routerlog has CAP_NET_ADMIN (then SO_RCVBUFFORCE). Default: ${DEFAULT-VALUE}.")
    long udpReceiveBuffer;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            order = 17,
            description = "Receive threads. Default: the number of CPUs.")
    Integer ioThreads;

    @Option(
            names = "--allow-from",
            paramLabel = "CIDR",
            split = ",",
            defaultValue = "loopback,private",
            order = 18,
            description = "Senders whose syslog is accepted (repeatable or comma-separated): CIDRs such as "
                    + "192.168.1.0/24; 'loopback'; 'private' (RFC 1918, 100.64.0.0/10, link-local, fc00::/7); "
                    + "'any'. Others are dropped and counted. Default: ${DEFAULT-VALUE}.")
    List<String> allowFrom;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            defaultValue = "256",
            order = 19,
            description = "Syslog TCP connections open at once; more are refused (reset when accepted) and counted. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(
            names = "--max-connections-per-sender",
            paramLabel = "N",
            defaultValue = "8",
            order = 20,
            description = "Syslog TCP connections open at once from one address; at the limit its idle or slow one "
                    + "is closed for the new one, or the new one is refused. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerSender;

    @Option(
            names = "--frame-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            order = 21,
            converter = Converters.DurationValue.class,
            description = "A syslog TCP message must arrive whole within this time of its first byte, or the "
                    + "connection is closed (0 for no limit). A connection that completed no message for this long "
                    + "may be closed to make room for a new one at the connection limits. Default: ${DEFAULT-VALUE}.")
    Duration frameTimeout;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "30m",
            order = 22,
            converter = Converters.DurationValue.class,
            description = "Close a syslog TCP connection that sent nothing for this long (0 for never). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(
            names = "--shutdown-grace",
            paramLabel = "DURATION",
            defaultValue = "5s",
            order = 48,
            converter = Converters.DurationValue.class,
            description = "On stop, how long to keep reading open TCP connections until their senders go quiet. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    /** The TLS listener's port, when one is asked for. */
    public OptionalInt tlsPort() {
        return syslogTlsPort == null ? OptionalInt.empty() : OptionalInt.of(syslogTlsPort);
    }

    /**
     * Checks the values and builds the listeners' settings.
     *
     * @param text how the values were written, for the messages
     * @throws SettingException naming the first option whose value cannot work
     */
    public ListenerSettings settings(Spellings text) {
        Set<Transport> transports = transports(syslogTlsPort != null);
        if (maxFrame < 64 || maxFrame > MAX_FRAME_LIMIT) {
            throw SettingException.saying(
                    "--max-frame", "--max-frame must be between 64 bytes and 16MiB: " + text.of("--max-frame"));
        }
        if (maxBuffered < maxFrame || maxBuffered > 1L << 40) {
            throw SettingException.saying(
                    "--max-buffered",
                    "--max-buffered must be between --max-frame (" + text.of("--max-frame") + ") and 1TiB: "
                            + text.of("--max-buffered"));
        }
        if (udpReceiveBuffer < 4096 || udpReceiveBuffer > Integer.MAX_VALUE) {
            throw SettingException.saying(
                    "--udp-receive-buffer",
                    "--udp-receive-buffer must be between 4KiB and " + "2GiB: " + text.of("--udp-receive-buffer"));
        }
        int threads = ioThreads == null ? Runtime.getRuntime().availableProcessors() : ioThreads;
        Checks.between("--io-threads", threads, 1, 256);
        AddressRanges allowed;
        try {
            allowed = AddressRanges.parse(allowFrom);
        } catch (IllegalArgumentException e) {
            throw new SettingException("--allow-from", String.valueOf(e.getMessage()));
        }
        if (allowed.isEmpty()) {
            throw SettingException.saying(
                    "--allow-from",
                    "--allow-from is empty, which would refuse every sender, "
                            + "loopback included: give CIDRs, loopback, private or any");
        }
        boolean routerFromSender = switch (routerLabel.strip().toLowerCase(Locale.ROOT)) {
            case "hostname" -> false;
            case "sender" -> true;
            default ->
                throw SettingException.saying(
                        "--router-label", "--router-label must be hostname or sender: " + routerLabel);
        };
        Checks.between("--max-connections", maxConnections, 1, 100_000);
        Checks.between("--max-connections-per-sender", maxConnectionsPerSender, 1, 100_000);
        if (!frameTimeout.isZero() && frameTimeout.toMillis() < 100) {
            throw SettingException.saying(
                    "--frame-timeout",
                    "--frame-timeout must be 0 (no limit) or at least " + "100ms: " + text.of("--frame-timeout"));
        }
        return new ListenerSettings(
                listenAddress,
                syslogPort,
                transports,
                tlsPort(),
                (int) maxFrame,
                maxBuffered,
                (int) udpReceiveBuffer,
                threads,
                allowed,
                maxConnections,
                maxConnectionsPerSender,
                idleTimeout,
                frameTimeout,
                shutdownGrace,
                routerFromSender);
    }

    /** The listeners to open: {@code --syslog-transports}, or udp and tcp (and tls with a TLS port). */
    private Set<Transport> transports(boolean tlsPort) {
        Set<Transport> set = EnumSet.noneOf(Transport.class);
        if (syslogTransports == null) {
            set.add(Transport.UDP);
            set.add(Transport.TCP);
            if (tlsPort) {
                set.add(Transport.TLS);
            }
            return set;
        }
        for (String t : syslogTransports) {
            String name = t.strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "" -> {}
                case "udp" -> set.add(Transport.UDP);
                case "tcp" -> set.add(Transport.TCP);
                case "tls" -> set.add(Transport.TLS);
                default -> throw new SettingException("--syslog-transports", "'" + t + "' is not udp, tcp or tls");
            }
        }
        if (set.isEmpty()) {
            throw SettingException.saying(
                    "--syslog-transports", "--syslog-transports is empty: give udp, tcp " + "and/or tls");
        }
        if (set.contains(Transport.TLS) && !tlsPort) {
            throw new SettingException("--syslog-transports", "tls needs --syslog-tls-port");
        }
        if (!set.contains(Transport.TLS) && tlsPort) {
            throw SettingException.saying(
                    "--syslog-transports", "--syslog-transports leaves out tls but " + "--syslog-tls-port is set");
        }
        return set;
    }
}
