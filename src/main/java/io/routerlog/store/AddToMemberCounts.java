package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Adds a batch of deltas, one per key, to one member's contribution of each counter. Sent once per partition with
 * only the deltas of that partition's keys; runs on the primary and, unchanged, on the backups.
 */
public final class AddToMemberCounts<K> implements EntryProcessor<K, MemberCounts, Void>, IdentifiedDataSerializable {
    private UUID member;
    private long flush;
    private Map<K, Long> deltas;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public AddToMemberCounts() {}

    /** @param flush this member's flush number, increasing; a repeated number is applied only once */
    public AddToMemberCounts(UUID member, long flush, Map<K, Long> deltas) {
        this.member = member;
        this.flush = flush;
        this.deltas = deltas;
    }

    @Override
    public Void process(Map.Entry<K, MemberCounts> entry) {
        Long delta = deltas.get(entry.getKey());
        if (delta == null || delta == 0) {
            return null;
        }
        MemberCounts current = entry.getValue();
        if (current != null && current.hasApplied(member, flush)) {
            return null; // a retried flush
        }
        // in place: with the OBJECT in-memory format this is the stored object itself, so an update allocates
        // nothing; setValue stores it and marks the entry as updated (for eviction and expiry)
        entry.setValue(
                current == null ? MemberCounts.of(member, delta, flush) : current.addInPlace(member, delta, flush));
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.ADD_TO_MEMBER_COUNTS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(member.getMostSignificantBits());
        out.writeLong(member.getLeastSignificantBits());
        out.writeLong(flush);
        out.writeInt(deltas.size());
        for (Map.Entry<K, Long> e : deltas.entrySet()) {
            out.writeObject(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        member = new UUID(in.readLong(), in.readLong());
        flush = in.readLong();
        int n = in.readInt();
        deltas = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            K key = in.readObject();
            deltas.put(key, in.readLong());
        }
    }
}
