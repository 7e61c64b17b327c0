package io.routerlog.store;

import java.time.Duration;

/**
 * What the store needs to know.
 *
 * @param maxPairs      upper bound of (client, domain, qtype) entries in the whole store
 * @param maxLeases     upper bound of DHCP identities
 * @param retention     entries not updated for this long are removed
 * @param backupCount   synchronous backups of each entry on other members
 * @param bindAddress   address the member listens on for other members
 * @param memberPort    first port tried for member traffic (the next free one is taken)
 * @param clusterName   members only join a cluster of the same name
 */
public record StoreSettings(int maxPairs, int maxLeases, Duration retention, int backupCount, String bindAddress,
        int memberPort, String clusterName) {

    /** Hazelcast's partition count; bounds are enforced per partition. */
    public static final int PARTITIONS = 271;

    public StoreSettings {
        if (maxPairs < PARTITIONS) {
            throw new IllegalArgumentException("maxPairs must be at least " + PARTITIONS + ": " + maxPairs);
        }
        if (maxLeases < PARTITIONS) {
            throw new IllegalArgumentException("maxLeases must be at least " + PARTITIONS + ": " + maxLeases);
        }
    }

    public static StoreSettings singleNode(int maxPairs, int maxLeases, Duration retention) {
        return new StoreSettings(maxPairs, maxLeases, retention, 1, "127.0.0.1", 5701, "routerlog");
    }
}
