package io.routerlog.store;

import java.time.Duration;

/**
 * What the store needs to know.
 *
 * @param maxPairs      upper bound of (client, domain, qtype) entries in the whole store
 * @param maxLeases     upper bound of DHCP identities
 * @param maxTunnelSessions upper bound of DNSTT sessions
 * @param retention     entries not updated for this long are removed
 * @param backupCount   synchronous backups of each entry on other members
 * @param cluster       how to find the other members
 * @param maxLogSeries  upper bound of firewall and of HTTP request series, each
 * @param queryLogSize  query log entries kept per writing member, 0 for no query log
 */
public record StoreSettings(
        int maxPairs,
        int maxLeases,
        int maxTunnelSessions,
        Duration retention,
        int backupCount,
        ClusterSettings cluster,
        int maxLogSeries,
        int queryLogSize) {

    /** The default of {@code --query-log-size}. */
    public static final int DEFAULT_QUERY_LOG_SIZE = 100_000;

    /** The largest {@code --query-log-size}. */
    public static final int MAX_QUERY_LOG_SIZE = 10_000_000;

    /** Hazelcast's partition count; bounds are enforced per partition (the pairs' per shard, {@link PairMap}). */
    public static final int PARTITIONS = 271;

    public StoreSettings {
        if (maxPairs < PARTITIONS) {
            throw new IllegalArgumentException("maxPairs must be at least " + PARTITIONS + ": " + maxPairs);
        }
        if (maxLeases < PARTITIONS) {
            throw new IllegalArgumentException("maxLeases must be at least " + PARTITIONS + ": " + maxLeases);
        }
        if (maxLogSeries < PARTITIONS) {
            throw new IllegalArgumentException("maxLogSeries must be at least " + PARTITIONS + ": " + maxLogSeries);
        }
        if (queryLogSize < 0 || queryLogSize > MAX_QUERY_LOG_SIZE) {
            throw new IllegalArgumentException(
                    "queryLogSize must be between 0 and " + MAX_QUERY_LOG_SIZE + ": " + queryLogSize);
        }
        if (maxTunnelSessions < PARTITIONS) {
            throw new IllegalArgumentException(
                    "maxTunnelSessions must be at least " + PARTITIONS + ": " + maxTunnelSessions);
        }
    }

    public StoreSettings(
            int maxPairs,
            int maxLeases,
            int maxTunnelSessions,
            Duration retention,
            int backupCount,
            ClusterSettings cluster) {
        this(maxPairs, maxLeases, maxTunnelSessions, retention, backupCount, cluster, 10_000, DEFAULT_QUERY_LOG_SIZE);
    }

    /** The same settings with another {@code queryLogSize}. */
    public StoreSettings withQueryLogSize(int size) {
        return new StoreSettings(
                maxPairs, maxLeases, maxTunnelSessions, retention, backupCount, cluster, maxLogSeries, size);
    }

    public static StoreSettings singleNode(int maxPairs, int maxLeases, Duration retention) {
        return singleNode(maxPairs, maxLeases, 10_000, retention);
    }

    public static StoreSettings singleNode(int maxPairs, int maxLeases, int maxTunnelSessions, Duration retention) {
        return new StoreSettings(maxPairs, maxLeases, maxTunnelSessions, retention, 1, ClusterSettings.single());
    }
}
