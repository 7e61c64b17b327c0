package io.routerlog.config;

import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.geoip.GeoIp;
import io.routerlog.source.AddressRanges;
import io.routerlog.stats.Transport;
import io.routerlog.store.ClusterSettings;
import io.routerlog.store.StoreSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of {@code routerlog} (run the appliance), as picocli fills them. */
public final class RunOptions {
    private static final Pattern DOMAIN = Pattern.compile(
            "(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.?");
    private static final long MAX_FRAME_LIMIT = 16L << 20;
    private static final int MAX_DNSTT_DOMAINS = 64;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from FILE: one 'name = value' per line, names as the long options without "
                    + "dashes. Command-line flags win over ROUTERLOG_* environment variables, which win over the file.")
    @Nullable Path config;

    @Option(names = "--listen-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to receive syslog on, UDP and TCP (:: for all IPv4 and IPv6). Default: ${DEFAULT-VALUE}.")
    String listenAddress;

    @Option(names = "--syslog-port", paramLabel = "PORT", defaultValue = "5514",
            description = "Port for syslog, UDP and TCP alike. 514 needs the CAP_NET_BIND_SERVICE capability. "
                    + "Default: ${DEFAULT-VALUE}.")
    int syslogPort;

    @Option(names = "--syslog-transports", paramLabel = "LIST", split = ",",
            description = "Which syslog listeners to open: udp, tcp (both on --syslog-port) and tls (on "
                    + "--syslog-tls-port), comma-separated. UDP senders' addresses can be forged, which --allow-from "
                    + "cannot tell; leave udp out when the routers send over TCP. Default: udp,tcp, and tls with "
                    + "--syslog-tls-port.")
    @Nullable List<String> syslogTransports;

    @Option(names = "--http-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address for /metrics and /healthz. Default: ${DEFAULT-VALUE}.")
    String httpAddress;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9514",
            description = "Port for /metrics and /healthz. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(names = "--syslog-tls-port", paramLabel = "PORT",
            description = "Also receive syslog over TLS (RFC 5425, usually 6514) with --tls-cert and --tls-key.")
    @Nullable Integer syslogTlsPort;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (chain) for the TLS syslog listener and --http-tls.")
    @Nullable Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key (unencrypted PKCS#8) of --tls-cert.")
    @Nullable Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "Accept TLS syslog only from senders with a certificate signed by these CAs (PEM).")
    @Nullable Path tlsClientCa;

    @Option(names = "--http-tls", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Serve the HTTP endpoints over HTTPS with --tls-cert and --tls-key. Default: ${DEFAULT-VALUE}.")
    boolean httpTls;

    @Option(names = "--http-user", paramLabel = "NAME",
            description = "Require HTTP basic authentication with this user (all endpoints but /healthz).")
    @Nullable String httpUser;

    @Option(names = "--http-password-hash", paramLabel = "BCRYPT",
            description = "bcrypt hash of the --http-user password (make one with: routerlog hash-password).")
    @Nullable String httpPasswordHash;

    @Option(names = "--max-frame", paramLabel = "SIZE", defaultValue = "64KiB",
            description = "Longest syslog message accepted; longer ones are skipped and counted. Default: ${DEFAULT-VALUE}.")
    String maxFrame;

    @Option(names = "--max-buffered", paramLabel = "SIZE", defaultValue = "32MiB",
            description = "Memory all syslog TCP connections together may hold in unfinished messages (at least "
                    + "--max-frame); beyond it the connection holding the most is closed. Default: ${DEFAULT-VALUE}.")
    String maxBuffered;

    @Option(names = "--udp-receive-buffer", paramLabel = "SIZE", defaultValue = "128MiB",
            description = "Kernel receive buffer for UDP: SO_RCVBUF, capped by net.core.rmem_max unless routerlog has CAP_NET_ADMIN (then SO_RCVBUFFORCE). Default: ${DEFAULT-VALUE}.")
    String udpReceiveBuffer;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Receive threads. Default: the number of CPUs.")
    @Nullable Integer ioThreads;

    @Option(names = "--allow-from", paramLabel = "CIDR", split = ",", defaultValue = "loopback,private",
            description = "Senders whose syslog is accepted (repeatable or comma-separated): CIDRs such as "
                    + "192.168.1.0/24; 'loopback'; 'private' (RFC 1918, 100.64.0.0/10, link-local, fc00::/7); "
                    + "'any'. Others are dropped and counted. Default: ${DEFAULT-VALUE}.")
    List<String> allowFrom;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "256",
            description = "Syslog TCP connections open at once; more are refused (reset when accepted) and counted. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--max-connections-per-sender", paramLabel = "N", defaultValue = "8",
            description = "Syslog TCP connections open at once from one address; at the limit its idle or slow one "
                    + "is closed for the new one, or the new one is refused. Default: ${DEFAULT-VALUE}.")
    int maxConnectionsPerSender;

    @Option(names = "--frame-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "A syslog TCP message must arrive whole within this time of its first byte, or the "
                    + "connection is closed (0 for no limit). A connection that completed no message for this long "
                    + "may be closed to make room for a new one at the connection limits. Default: ${DEFAULT-VALUE}.")
    String frameTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30m",
            description = "Close a syslog TCP connection that sent nothing for this long (0 for never). "
                    + "Default: ${DEFAULT-VALUE}.")
    String idleTimeout;

    @Option(names = "--max-pairs", paramLabel = "N", defaultValue = "10000",
            description = "Most (client, domain, qtype) pairs kept; the least recently queried are evicted first. "
                    + "At least 271. Default: ${DEFAULT-VALUE}.")
    int maxPairs;

    @Option(names = "--max-leases", paramLabel = "N", defaultValue = "10000",
            description = "Most DHCP identities kept. At least 271. Default: ${DEFAULT-VALUE}.")
    int maxLeases;

    @Option(names = "--max-log-series", paramLabel = "N", defaultValue = "10000",
            description = "Most firewall packet series, and most HTTP request series, kept (least recently seen "
                    + "evicted first). At least 271. Default: ${DEFAULT-VALUE}.")
    int maxLogSeries;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "24h",
            description = "Forget a pair or DHCP identity not seen for this long. Default: ${DEFAULT-VALUE}.")
    String retention;

    @Option(names = "--flush-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "How often counts go from memory to the store; at most this much is lost if the process "
                    + "is killed. Default: ${DEFAULT-VALUE}.")
    String flushInterval;

    @Option(names = "--dnstt-domain", paramLabel = "DOMAIN", split = ",",
            description = "A DNSTT tunnel domain (repeatable): names under it count as the domain itself.")
    List<String> dnsttDomains = new ArrayList<>();

    @Option(names = "--ignore-domain", paramLabel = "PATTERN", split = ",",
            description = "Never count or store queries for these names (repeatable): a name matches itself and "
                    + "all names under it; * and ? make a pattern for the whole name (*.cdn.*, tracker?.net).")
    List<String> ignoreDomains = new ArrayList<>();

    @Option(names = "--anonymize-clients", paramLabel = "MODE", defaultValue = "none",
            description = "Store client addresses as: none (as they are), truncate (IPv4 /24, IPv6 /48) or hash "
                    + "(keyed with --anonymize-key). With truncate or hash no DHCP identities are kept. "
                    + "Default: ${DEFAULT-VALUE}.")
    String anonymizeClients;

    @Option(names = "--anonymize-key", paramLabel = "SECRET",
            description = "Secret for --anonymize-clients hash (at least 16 characters; better in ROUTERLOG_ANONYMIZE_KEY "
                    + "or the config file than on the command line).")
    @Nullable String anonymizeKey;

    @Option(names = "--dnstt-active-window", paramLabel = "DURATION", defaultValue = "30s",
            description = "A DNSTT session is active while it sent a query within this time. Default: ${DEFAULT-VALUE}.")
    String dnsttActiveWindow;

    @Option(names = "--max-dnstt-sessions", paramLabel = "N", defaultValue = "10000",
            description = "Most DNSTT sessions kept (least recently seen evicted first). At least 271. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxDnsttSessions;

    @Option(names = "--geoip-country-db", paramLabel = "FILE",
            description = "MaxMind DB country database (GeoLite2-Country or compatible): adds a country label to the "
                    + "DNSTT metrics.")
    @Nullable Path geoipCountryDb;

    @Option(names = "--geoip-asn-db", paramLabel = "FILE",
            description = "MaxMind DB ASN database (GeoLite2-ASN or compatible): adds an asn label to the DNSTT metrics.")
    @Nullable Path geoipAsnDb;

    @Option(names = "--leases-file", paramLabel = "FILE",
            description = "A dnsmasq lease file (such as /tmp/dhcp.leases) to learn DHCP identities from at start "
                    + "and whenever it changes.")
    @Nullable Path leasesFile;

    @Option(names = "--cluster-members", paramLabel = "HOST[:PORT]", split = ",",
            description = "Other routerlog nodes to form a cluster with (TCP/IP member list, repeatable or "
                    + "comma-separated). Without any cluster option a node stays single.")
    List<String> clusterMembers = new ArrayList<>();

    @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "5701",
            description = "Port for cluster traffic (the next free one is taken if in use). Default: ${DEFAULT-VALUE}.")
    int clusterPort;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "routerlog",
            description = "Nodes only join a cluster of the same name. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(names = "--cluster-secret", paramLabel = "SECRET",
            description = "Secret every node of the cluster must have to join it (the same on every node, at least "
                    + "16 characters; better in ROUTERLOG_CLUSTER_SECRET or the config file than on the command "
                    + "line). It keeps out nodes without it; it does not encrypt: firewall the cluster port too.")
    @Nullable String clusterSecret;

    @Option(names = "--cluster-interface", paramLabel = "ADDR",
            description = "Local address (or pattern such as 10.0.*.*) for cluster traffic, on multi-homed hosts.")
    @Nullable String clusterInterface;

    @Option(names = "--cluster-public-address", paramLabel = "HOST[:PORT]",
            description = "Address the other nodes should use to reach this one, when it differs (NAT, containers).")
    @Nullable String clusterPublicAddress;

    @Option(names = "--cluster-multicast", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "Find other nodes by multicast on the local network. Default: ${DEFAULT-VALUE}.")
    boolean clusterMulticast;

    @Option(names = "--cluster-k8s-service", paramLabel = "DNS-NAME",
            description = "Find other nodes through the Kubernetes headless service of this DNS name.")
    @Nullable String clusterK8sService;

    @Option(names = "--capture-interface", paramLabel = "IF",
            description = "Also count DNS packets captured live on this interface (Linux; runs tcpdump, which needs "
                    + "CAP_NET_RAW): queries like query log lines, DNSTT bytes in and out.")
    @Nullable String captureInterface;

    @Option(names = "--capture-port", paramLabel = "PORT", defaultValue = "53",
            description = "The DNS port of --capture-interface and of pcap files (UDP and TCP). Default: ${DEFAULT-VALUE}.")
    int capturePort;

    @Option(names = "--backup-count", paramLabel = "N", defaultValue = "1",
            description = "Copies of every entry on other nodes (0 to 6), so that losing a node loses no flushed "
                    + "counts. Default: ${DEFAULT-VALUE}.")
    int backupCount;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "5s",
            description = "On stop, how long to keep reading open TCP connections until their senders go quiet. "
                    + "Default: ${DEFAULT-VALUE}.")
    String shutdownGrace;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "error, warn, info, debug or trace. Default: ${DEFAULT-VALUE}.")
    String logLevel;

    /** Checks every value and builds the settings; a bad value becomes a ParameterException (exit code 2). */
    public Settings toSettings(CommandSpec spec) {
        try {
            return build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Settings build() {
        InetAddress listen = address("--listen-address", listenAddress);
        InetAddress http = address("--http-address", httpAddress);
        port("--syslog-port", syslogPort);
        port("--http-port", httpPort);
        if (capturePort < 1 || capturePort > 65535) {
            throw new IllegalArgumentException("--capture-port must be between 1 and 65535: " + capturePort);
        }
        String captureIf = blankToNull(captureInterface);
        if (captureIf != null && !captureIf.strip().matches("[A-Za-z0-9_.:@-]{1,64}")) {
            throw new IllegalArgumentException("--capture-interface: '" + captureInterface
                    + "' is not an interface name");
        }
        int tlsPort = syslogTlsPort == null ? -1 : syslogTlsPort;
        if (syslogTlsPort != null) {
            port("--syslog-tls-port", tlsPort);
        }
        Set<Transport> transports = transports(syslogTlsPort != null);
        if ((syslogTlsPort != null || httpTls) && (tlsCert == null || tlsKey == null)) {
            throw new IllegalArgumentException((httpTls ? "--http-tls" : "--syslog-tls-port")
                    + " needs --tls-cert and --tls-key");
        }
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            TlsFiles.keyManagers(tlsCert, tlsKey); // a SettingException naming --tls-cert or --tls-key
        }
        if (tlsClientCa != null) {
            if (syslogTlsPort == null) {
                throw new IllegalArgumentException("--tls-client-ca needs --syslog-tls-port");
            }
            TlsFiles.trustManagers(tlsClientCa);
        }
        if ((httpUser == null) != (httpPasswordHash == null)) {
            throw new IllegalArgumentException("--http-user and --http-password-hash go together");
        }
        if (httpPasswordHash != null && !httpPasswordHash.strip().matches("\\$2[abxy]?\\$\\d\\d\\$.{53}")) {
            throw new IllegalArgumentException("--http-password-hash is not a bcrypt hash ($2a$10$...): "
                    + "make one with: routerlog hash-password");
        }
        long frame = size("--max-frame", maxFrame);
        if (frame < 64 || frame > MAX_FRAME_LIMIT) {
            throw new IllegalArgumentException("--max-frame must be between 64 bytes and 16MiB: " + maxFrame);
        }
        long buffered = size("--max-buffered", maxBuffered);
        if (buffered < frame || buffered > 1L << 40) {
            throw new IllegalArgumentException("--max-buffered must be between --max-frame (" + maxFrame
                    + ") and 1TiB: " + maxBuffered);
        }
        long rcvbuf = size("--udp-receive-buffer", udpReceiveBuffer);
        if (rcvbuf < 4096 || rcvbuf > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--udp-receive-buffer must be between 4KiB and 2GiB: " + udpReceiveBuffer);
        }
        int threads = ioThreads == null ? Runtime.getRuntime().availableProcessors() : ioThreads;
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--io-threads must be between 1 and 256: " + threads);
        }
        AddressRanges allowed;
        try {
            allowed = AddressRanges.parse(allowFrom);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--allow-from: " + e.getMessage());
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("--allow-from is empty, which would refuse every sender, loopback "
                    + "included: give CIDRs, loopback, private or any");
        }
        if (maxConnections < 1 || maxConnections > 100_000) {
            throw new IllegalArgumentException("--max-connections must be between 1 and 100000: " + maxConnections);
        }
        if (maxConnectionsPerSender < 1 || maxConnectionsPerSender > 100_000) {
            throw new IllegalArgumentException("--max-connections-per-sender must be between 1 and 100000: "
                    + maxConnectionsPerSender);
        }
        Duration idle = duration("--idle-timeout", idleTimeout);
        Duration frameLimit = duration("--frame-timeout", frameTimeout);
        if (!frameLimit.isZero() && frameLimit.toMillis() < 100) {
            throw new IllegalArgumentException("--frame-timeout must be 0 (no limit) or at least 100ms: "
                    + frameTimeout);
        }
        atLeastPartitions("--max-pairs", maxPairs);
        atLeastPartitions("--max-leases", maxLeases);
        atLeastPartitions("--max-log-series", maxLogSeries);
        Duration keep = duration("--retention", retention);
        if (keep.toSeconds() < 1) {
            throw new IllegalArgumentException("--retention must be at least 1s: " + retention);
        }
        Duration flush = duration("--flush-interval", flushInterval);
        if (flush.toMillis() < 10 || flush.toMinutes() > 60) {
            throw new IllegalArgumentException("--flush-interval must be between 10ms and 1h: " + flushInterval);
        }
        List<String> domains = new ArrayList<>();
        for (String d : dnsttDomains) {
            String domain = d.strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (domain.isEmpty() || domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException("--dnstt-domain: '" + d + "' is not a domain name");
            }
            if (!domains.contains(domain)) {
                domains.add(domain);
            }
        }
        if (domains.size() > MAX_DNSTT_DOMAINS) {
            throw new IllegalArgumentException("--dnstt-domain: at most " + MAX_DNSTT_DOMAINS + " domains");
        }
        ClientAnonymizer.Mode anonymize;
        try {
            anonymize = ClientAnonymizer.Mode.valueOf(anonymizeClients.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--anonymize-clients must be none, truncate or hash: "
                    + anonymizeClients);
        }
        if (anonymize == ClientAnonymizer.Mode.HASH && (anonymizeKey == null || anonymizeKey.length() < 16)) {
            throw new IllegalArgumentException("--anonymize-clients hash needs --anonymize-key of at least 16 "
                    + "characters");
        }
        for (String d : ignoreDomains) {
            if (d.isBlank() || d.strip().contains(" ")) {
                throw new IllegalArgumentException("--ignore-domain: '" + d + "' is not a name or pattern");
            }
        }
        Duration window = duration("--dnstt-active-window", dnsttActiveWindow);
        if (window.toMillis() < 1000) {
            throw new IllegalArgumentException("--dnstt-active-window must be at least 1s: " + dnsttActiveWindow);
        }
        atLeastPartitions("--max-dnstt-sessions", maxDnsttSessions);
        // opening the databases checks that they exist and are MaxMind DBs of the right kind
        GeoIp.open(geoipCountryDb, geoipAsnDb).close();
        if (leasesFile != null) {
            FileReasons.requireReadable("--leases-file", leasesFile);
        }
        List<String> members = new ArrayList<>();
        for (String m : clusterMembers) {
            String member = m.strip();
            if (!member.isEmpty()) {
                hostAndPort("--cluster-members", member);
                members.add(member);
            }
        }
        port("--cluster-port", clusterPort);
        if (clusterPort == 0) {
            throw new IllegalArgumentException("--cluster-port must be between 1 and 65535: 0");
        }
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("--cluster-name must not be empty");
        }
        if (clusterSecret != null && clusterSecret.strip().length() < 16) {
            throw new IllegalArgumentException("--cluster-secret must be at least 16 characters");
        }
        if (clusterPublicAddress != null) {
            hostAndPort("--cluster-public-address", clusterPublicAddress.strip());
        }
        if (clusterK8sService != null && !DOMAIN.matcher(clusterK8sService.strip()).matches()) {
            throw new IllegalArgumentException("--cluster-k8s-service: '" + clusterK8sService + "' is not a DNS name");
        }
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("--backup-count must be between 0 and 6: " + backupCount);
        }
        Duration grace = duration("--shutdown-grace", shutdownGrace);
        ClusterSettings cluster = new ClusterSettings(members, clusterPort, clusterName.strip(),
                blankToNull(clusterInterface), blankToNull(clusterPublicAddress), clusterMulticast,
                blankToNull(clusterK8sService), clusterSecret == null ? null : clusterSecret.strip());
        String level = logLevel.strip().toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw new IllegalArgumentException("--log-level must be error, warn, info, debug or trace: " + logLevel);
        }
        return new Settings(listen, syslogPort, java.util.Collections.unmodifiableSet(transports), http, httpPort,
                tlsPort, tlsCert, tlsKey, tlsClientCa, httpTls,
                httpUser, httpPasswordHash == null ? null : httpPasswordHash.strip(), (int) frame, buffered, (int) rcvbuf, threads, allowed,
                maxConnections, maxConnectionsPerSender, idle, frameLimit, maxPairs, maxLeases, maxLogSeries,
                keep, flush, List.copyOf(domains), List.copyOf(ignoreDomains), anonymize, anonymizeKey, window,
                maxDnsttSessions, geoipCountryDb, geoipAsnDb, leasesFile,
                cluster, backupCount, grace, level, captureIf == null ? null : captureIf.strip(), capturePort);
    }

    /** The listeners to open: {@code --syslog-transports}, or udp and tcp (and tls with a TLS port). */
    private Set<Transport> transports(boolean tlsPort) {
        Set<Transport> set = java.util.EnumSet.noneOf(Transport.class);
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
                case "" -> {
                }
                case "udp" -> set.add(Transport.UDP);
                case "tcp" -> set.add(Transport.TCP);
                case "tls" -> set.add(Transport.TLS);
                default -> throw new IllegalArgumentException("--syslog-transports: '" + t
                        + "' is not udp, tcp or tls");
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("--syslog-transports is empty: give udp, tcp and/or tls");
        }
        if (set.contains(Transport.TLS) && !tlsPort) {
            throw new IllegalArgumentException("--syslog-transports: tls needs --syslog-tls-port");
        }
        if (!set.contains(Transport.TLS) && tlsPort) {
            throw new IllegalArgumentException("--syslog-transports leaves out tls but --syslog-tls-port is set");
        }
        return set;
    }

    private static InetAddress address(String option, String value) {
        try {
            return InetAddress.getByName(value.strip());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not an address of this host");
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address. */
    private static void hostAndPort(String option, String value) {
        String host = value;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(option + ": '" + value + "' is not host[:port]");
            }
            host = value.substring(1, close);
            if (close + 1 < value.length()) {
                if (value.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException(option + ": '" + value + "' is not host[:port]");
                }
                port = value.substring(close + 2);
            }
        } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') >= 0) {
            host = value.substring(0, value.indexOf(':'));
            port = value.substring(value.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.contains(" ")) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not host[:port]");
        }
        if (port != null) {
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(option + ": '" + value + "' has no valid port");
            }
        }
    }

    private static void port(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535: " + port);
        }
    }

    private static long size(String option, String value) {
        try {
            return Units.bytes(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static Duration duration(String option, String value) {
        try {
            return Units.duration(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static void atLeastPartitions(String option, int value) {
        if (value < StoreSettings.PARTITIONS) {
            throw new IllegalArgumentException(option + " must be at least " + StoreSettings.PARTITIONS
                    + " (the store keeps at most max/271 entries in each of its 271 partitions): " + value);
        }
    }
}
