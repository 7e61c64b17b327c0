package io.routerlog.store;

import com.hazelcast.internal.monitor.LocalRecordStoreStats;
import com.hazelcast.internal.partition.IPartition;
import com.hazelcast.internal.partition.IPartitionService;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.spi.impl.AbstractDistributedObject;
import com.hazelcast.spi.impl.NodeEngine;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Counts the evictions and expiries of the entries whose primary copy this member holds, from counts kept per
 * partition (Hazelcast's statistics of a map, or a {@link PairShard}'s own), instead of from entry events.
 *
 * <p>An entry listener, even one that only wants evictions, makes Hazelcast publish an event for every update of
 * the map: it looks the registrations up and builds the event's data on the partition thread, per updated entry.
 * The statistics cost nothing per update; they are read here, per partition, when someone asks and on every flush.
 *
 * <p>A partition's statistics move with it when it migrates. So a partition counts only while this member owns it,
 * from what its statistics said when this member last looked: from zero for a partition that had no owner before
 * (the first assignment) or no entries of the map yet, from the value found for one taken over from another member
 * (what that member counted stays its own). Evictions between the last look of the member that gave a partition
 * away and the first look of the member that took it are counted by neither; this member looks at least once per
 * flush, so that is at most about one flush interval per migration.
 */
final class OwnedRemovals {
    private static final byte OTHER = 0;
    private static final byte UNASSIGNED = 1;
    private static final byte LOCAL = 2;
    private static final long TABLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final IPartitionService partitions;
    private final Source source;

    // guarded by this
    private final byte[] state;
    private final @Nullable Object[] seen;
    private final long[] lastEvicted;
    private final long[] lastExpired;
    private long evicted;
    private long expired;

    /**
     * Where a partition's removal counts are on this member: {@code of} gives the object that holds them and moves
     * with the partition (null when there is none), {@code evicted} and {@code expired} read it.
     */
    record Source(IntFunction<@Nullable Object> of, ToLongFunction<Object> evicted, ToLongFunction<Object> expired) {}

    /** From Hazelcast's statistics of the map's entries (for maps that keep an entry per counter). */
    OwnedRemovals(IMap<?, ?> map) {
        this(map, recordStoreStats(map));
    }

    private static Source recordStoreStats(IMap<?, ?> map) {
        String name = map.getName();
        MapServiceContext context = mapContext(map);
        return new Source(
                partition -> {
                    RecordStore<?> store = context.getExistingRecordStore(partition, name);
                    return store == null ? null : store.getLocalRecordStoreStats();
                },
                stats -> ((LocalRecordStoreStats) stats).getEvictionCount(),
                stats -> ((LocalRecordStoreStats) stats).getExpirationCount());
    }

    static MapServiceContext mapContext(IMap<?, ?> map) {
        NodeEngine engine = ((AbstractDistributedObject<?>) map).getNodeEngine();
        MapService service = engine.getService(MapService.SERVICE_NAME);
        return service.getMapServiceContext();
    }

    OwnedRemovals(IMap<?, ?> map, Source source) {
        NodeEngine engine = ((AbstractDistributedObject<?>) map).getNodeEngine();
        this.source = source;
        this.partitions = engine.getPartitionService();
        awaitPartitionTable(engine);
        int n = partitions.getPartitionCount();
        this.state = new byte[n];
        this.seen = new Object[n];
        this.lastEvicted = new long[n];
        this.lastExpired = new long[n];
        synchronized (this) {
            for (int p = 0; p < n; p++) {
                IPartition partition = partitions.getPartition(p, false);
                byte now = stateOf(partition);
                state[p] = now;
                if (now == LOCAL) {
                    // owned already: what is counted so far was counted before this member started to look
                    Object s = source.of().apply(p);
                    seen[p] = s;
                    lastEvicted[p] = s == null ? 0 : source.evicted().applyAsLong(s);
                    lastExpired[p] = s == null ? 0 : source.expired().applyAsLong(s);
                }
            }
        }
    }

    /**
     * A member that joins a cluster learns the partition table from the master some time after it joined; until
     * then every partition looks unassigned to it, and one that then migrated to it would count what its statistics
     * carried as its own. So a member that is not alone asks the master for the table (which makes the master assign
     * the partitions if nobody did yet) and waits for it, briefly. A member alone leaves the first assignment to the
     * first write, as Hazelcast does, and counts the partitions it gets from zero.
     */
    private void awaitPartitionTable(NodeEngine engine) {
        if (!(partitions instanceof InternalPartitionService internal)
                || internal.isPartitionAssignmentDone()
                || engine.getClusterService().getSize() < 2) {
            return;
        }
        try {
            internal.firstArrangement();
            long deadline = System.nanoTime() + TABLE_WAIT_NANOS;
            while (!internal.isPartitionAssignmentDone() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        } catch (RuntimeException e) {
            // a cluster that cannot assign now (shutting down, say): count as before, from what is seen
        }
    }

    private static byte stateOf(IPartition partition) {
        if (partition.isLocal()) {
            return LOCAL;
        }
        return partition.getOwnerOrNull() == null ? UNASSIGNED : OTHER;
    }

    /** Owned entries evicted since this member started. */
    synchronized long evicted() {
        update();
        return evicted;
    }

    /** Owned entries expired since this member started. */
    synchronized long expired() {
        update();
        return expired;
    }

    /** Adds what each owned partition removed since the last look. Allocates nothing. */
    synchronized void update() {
        for (int p = 0; p < state.length; p++) {
            IPartition partition = partitions.getPartition(p, false);
            byte before = state[p];
            byte now = stateOf(partition);
            state[p] = now;
            if (now != LOCAL) {
                seen[p] = null;
                continue;
            }
            Object s = source.of().apply(p);
            long ev = s == null ? 0 : source.evicted().applyAsLong(s);
            long ex = s == null ? 0 : source.expired().applyAsLong(s);
            boolean counting = before == UNASSIGNED || (before == LOCAL && (seen[p] == s || seen[p] == null));
            if (counting) {
                long fromEv = before == LOCAL ? lastEvicted[p] : 0;
                long fromEx = before == LOCAL ? lastExpired[p] : 0;
                // a count that went down was reset: start again from it
                evicted += Math.max(0, ev - fromEv);
                expired += Math.max(0, ex - fromEx);
            }
            seen[p] = s;
            lastEvicted[p] = ev;
            lastExpired[p] = ex;
        }
    }
}
