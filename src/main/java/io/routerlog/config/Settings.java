package io.routerlog.config;

import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.source.AddressRanges;
import io.routerlog.store.ClusterSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
        @Nullable Path tlsCert,
        @Nullable Path tlsKey,
        @Nullable Path tlsClientCa,
        boolean httpTls,
        @Nullable String httpUser,
        @Nullable String httpPasswordHash,
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
        @Nullable String anonymizeKey,
        Duration dnsttActiveWindow,
        int maxDnsttSessions,
        @Nullable Path geoipCountryDb,
        @Nullable Path geoipAsnDb,
        @Nullable Path leasesFile,
        ClusterSettings cluster,
        int backupCount,
        Duration shutdownGrace,
        String logLevel,
        @Nullable String captureInterface,
        int capturePort) {

    @Override
    public String toString() {
        return "Settings[" + listenAddress + ":" + syslogPort + ", http " + httpAddress + ":" + httpPort
                + ", anonymize " + anonymizeClients + "]";
    }
}
