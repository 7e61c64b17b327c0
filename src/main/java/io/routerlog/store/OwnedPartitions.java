package io.routerlog.store;

import com.hazelcast.cluster.Member;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A predicate that keeps an aggregation to the partitions whose primary copy this member holds, so that the answers
 * of all members add up to the cluster's, each entry counted once. A partition that moves during the read is read
 * where it is now.
 */
final class OwnedPartitions {
    private final PartitionService partitions;
    private volatile Object @Nullable [] partitionKeys;

    OwnedPartitions(PartitionService partitions) {
        this.partitions = partitions;
    }

    /** The predicate of the partitions this member owns now, null when it owns none. */
    <K, V> @Nullable Predicate<K, V> predicate() {
        Set<Object> owned = new HashSet<>();
        for (Partition p : partitions.getPartitions()) {
            Member owner = p.getOwner();
            if (owner != null && owner.localMember()) {
                owned.add(partitionKeys()[p.getPartitionId()]);
            }
        }
        return owned.isEmpty() ? null : Predicates.multiPartitionPredicate(owned, Predicates.alwaysTrue());
    }

    /** For each partition id, a key that Hazelcast places in it (the mapping of keys to partitions never changes). */
    Object[] partitionKeys() {
        Object[] keys = partitionKeys;
        if (keys == null) {
            int count = partitions.getPartitions().size();
            keys = new Object[count];
            int found = 0;
            for (int i = 0; found < count; i++) {
                int id = partitions.getPartition(i).getPartitionId();
                if (keys[id] == null) {
                    keys[id] = i;
                    found++;
                }
            }
            partitionKeys = keys;
        }
        return keys;
    }
}
