package io.routerlog.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicate;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.util.List;
import java.util.Map;

/**
 * The tunnel-detection map: per (router, client, registrable domain, time bucket) what was asked
 * ({@link SuspectStats}), shared by the whole cluster, and the search that scores it where it lives.
 */
public final class SuspectMap {
    private final IMap<SuspectKey, SuspectStats> map;
    private final SerializationService serialization;
    private final int partitionCount;
    private final OwnedPartitions ownedPartitions;

    SuspectMap(HazelcastInstance hz, String name) {
        this.map = hz.getMap(name);
        PartitionService partitions = hz.getPartitionService();
        this.serialization = ((SerializationServiceSupport) hz).getSerializationService();
        this.partitionCount = partitions.getPartitions().size();
        this.ownedPartitions = new OwnedPartitions(partitions);
    }

    public String name() {
        return map.getName();
    }

    /**
     * Adds the stats, one entry-processor call per partition, each new entry set to expire after {@code ttlMillis},
     * and waits until all are applied. The stats of every partition that confirmed are removed from {@code stats},
     * so after a partial failure it holds what still has to be written.
     *
     * @throws StoreException when some partition did not confirm in time
     */
    public void add(Map<SuspectKey, SuspectStats> stats, long ttlMillis, long timeoutMillis) {
        PartitionBatches.write(
                map,
                serialization,
                partitionCount,
                stats,
                part -> new MergeSuspectStats(part, ttlMillis),
                timeoutMillis);
    }

    /**
     * The domains that score at least {@code minScore} on the buckets that start at or after {@code fromMillis},
     * highest score first. Answered by an aggregation where the entries live.
     */
    public List<Suspect> search(long fromMillis, double minScore) {
        return map.aggregate(new SuspectSearch(fromMillis, minScore));
    }

    /**
     * Like {@link #search}, only for the domains whose partition this member owns: the suspects of all members
     * together are the cluster's, each once (for {@code /metrics}).
     */
    public List<Suspect> searchOwned(long fromMillis, double minScore) {
        Predicate<SuspectKey, SuspectStats> owned = ownedPartitions.predicate();
        return owned == null ? List.of() : map.aggregate(new SuspectSearch(fromMillis, minScore), owned);
    }

    public int size() {
        return map.size();
    }
}
