package io.routerlog.store;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.impl.QueryableEntry;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Adds a batch of deltas, one per key, to one member's contribution of each counter. Sent once per partition with
 * only the deltas of that partition's keys; runs on the primary and, unchanged, on the backups.
 *
 * <p>The keys travel and are looked up in their serialized form, the one Hazelcast stores and hands to the
 * processor with each entry: a key is serialized once on the writing member (and that form is also what the
 * writer passes to {@code submitToKeys}), and neither the primary nor a backup deserializes a key to find its
 * delta. With key objects, every key was serialized three times and deserialized twice per copy.
 */
public final class AddToMemberCounts<K> implements EntryProcessor<K, MemberCounts, Void>, IdentifiedDataSerializable {
    private UUID member;
    private long flush;
    private KeyDeltas deltas;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public AddToMemberCounts() {}

    /**
     * @param flush this member's flush number, increasing; a repeated number is applied only once
     * @param deltas by serialized key, as the store's serialization makes it
     */
    public AddToMemberCounts(UUID member, long flush, Map<Data, Long> deltas) {
        this(member, flush, new KeyDeltas(deltas.size()));
        deltas.forEach(this.deltas::add);
    }

    AddToMemberCounts(UUID member, long flush, KeyDeltas deltas) {
        this.member = member;
        this.flush = flush;
        this.deltas = deltas;
    }

    @Override
    public Void process(Map.Entry<K, MemberCounts> entry) {
        if (!(entry instanceof QueryableEntry<?, ?> stored)) {
            // Hazelcast hands every entry processor a map entry that carries the serialized key
            throw new IllegalStateException("an entry without its serialized key: " + entry.getClass());
        }
        long delta = deltas.get(stored.getKeyData());
        if (delta == 0) {
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
        deltas.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        member = new UUID(in.readLong(), in.readLong());
        flush = in.readLong();
        deltas = KeyDeltas.readData(in);
    }
}
