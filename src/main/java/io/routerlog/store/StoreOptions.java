package io.routerlog.store;

import io.routerlog.config.Checks;
import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import io.routerlog.config.Spellings;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the store's bounds and of the cluster it forms, as picocli fills them. The {@code order} of each
 * option is its place in {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class StoreOptions {
    @Mixin
    ClusterOptions cluster;

    @Option(
            names = "--max-pairs",
            paramLabel = "N",
            defaultValue = "10000",
            order = 23,
            description = "Most (client, domain, qtype) pairs kept; the least recently queried are evicted first. "
                    + "At least 271. Default: ${DEFAULT-VALUE}.")
    int maxPairs;

    @Option(
            names = "--max-leases",
            paramLabel = "N",
            defaultValue = "10000",
            order = 24,
            description = "Most DHCP identities kept. At least 271. Default: ${DEFAULT-VALUE}.")
    int maxLeases;

    @Option(
            names = "--max-log-series",
            paramLabel = "N",
            defaultValue = "10000",
            order = 25,
            description = "Most firewall packet series, and most HTTP request series, kept (least recently seen "
                    + "evicted first). At least 271. Default: ${DEFAULT-VALUE}.")
    int maxLogSeries;

    @Option(
            names = "--retention",
            paramLabel = "DURATION",
            defaultValue = "24h",
            order = 26,
            converter = Converters.DurationValue.class,
            description = "Forget a pair or DHCP identity not seen for this long. Default: ${DEFAULT-VALUE}.")
    Duration retention;

    @Option(
            names = "--query-log-size",
            paramLabel = "N",
            defaultValue = "100000",
            order = 26,
            description = "Most recent DNS queries each node keeps in the query log (spread over the cluster, "
                    + "searchable, older than --retention hidden); 0 turns the query log off. "
                    + "Default: ${DEFAULT-VALUE}.")
    int queryLogSize;

    @Option(
            names = "--max-dnstt-sessions",
            paramLabel = "N",
            defaultValue = "10000",
            order = 33,
            description = "Most DNSTT sessions kept (least recently seen evicted first). At least 271. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxDnsttSessions;

    @Option(
            names = "--backup-count",
            paramLabel = "N",
            defaultValue = "1",
            order = 47,
            description = "Copies of every entry on other nodes (0 to 6), so that losing a node loses no flushed "
                    + "counts. Default: ${DEFAULT-VALUE}.")
    int backupCount;

    /**
     * Checks the values and builds the settings.
     *
     * @param text how the values were written, for the messages
     * @throws SettingException naming the first option whose value cannot work
     */
    public StoreSettings settings(Spellings text) {
        atLeastPartitions("--max-pairs", maxPairs);
        atLeastPartitions("--max-leases", maxLeases);
        atLeastPartitions("--max-log-series", maxLogSeries);
        if (retention.toSeconds() < 1) {
            throw SettingException.saying("--retention", "--retention must be at least 1s: " + text.of("--retention"));
        }
        atLeastPartitions("--max-dnstt-sessions", maxDnsttSessions);
        ClusterSettings clusterSettings = cluster.settings();
        Checks.between("--backup-count", backupCount, 0, 6);
        Checks.between("--query-log-size", queryLogSize, 0, StoreSettings.MAX_QUERY_LOG_SIZE);
        return new StoreSettings(
                maxPairs,
                maxLeases,
                maxDnsttSessions,
                retention,
                backupCount,
                clusterSettings,
                maxLogSeries,
                queryLogSize);
    }

    private static void atLeastPartitions(String option, int value) {
        if (value < StoreSettings.PARTITIONS) {
            throw SettingException.saying(
                    option,
                    option + " must be at least " + StoreSettings.PARTITIONS
                            + " (the store keeps at most max/271 entries in each of its 271 partitions): " + value);
        }
    }
}
