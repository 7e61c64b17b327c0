package io.routerlog.config;

import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.source.AddressRanges;
import io.routerlog.store.ClusterSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a routerlog node, validated. {@code syslogTlsPort} is -1 without a TLS listener.
 * ({@link #toString} shows no secrets.)
 */
public record Settings(
        InetAddress listenAddress,
        int syslogPort,
        java.util.Set<io.routerlog.stats.Transport> syslogTransports,
        InetAddress httpAddress,
        int httpPort,
        int syslogTlsPort,
        Path tlsCert,
        Path tlsKey,
        Path tlsClientCa,
        boolean httpTls,
        String httpUser,
        String httpPasswordHash,
        int maxFrame,
        long maxBuffered,
        int udpReceiveBuffer,
        int ioThreads,
        AddressRanges allowFrom,
        int maxConnections,
        int maxConnectionsPerSender,
        Duration idleTimeout,
        Duration frameTimeout,
        int maxPairs,
        int maxLeases,
        int maxLogSeries,
        Duration retention,
        Duration flushInterval,
        List<String> dnsttDomains,
        List<String> ignoreDomains,
        ClientAnonymizer.Mode anonymizeClients,
        String anonymizeKey,
        Duration dnsttActiveWindow,
        int maxDnsttSessions,
        Path geoipCountryDb,
        Path geoipAsnDb,
        Path leasesFile,
        ClusterSettings cluster,
        int backupCount,
        Duration shutdownGrace,
        String logLevel,
        String captureInterface,
        int capturePort) {

    @Override
    public String toString() {
        return "Settings[" + listenAddress + ":" + syslogPort + ", http " + httpAddress + ":" + httpPort
                + ", anonymize " + anonymizeClients + "]";
    }
}
