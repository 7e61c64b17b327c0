package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.impl.QueryableEntry;
import java.io.IOException;
import java.util.Map;

/**
 * The Hazelcast aggregation that reads a counter map into {@link PackedCounters} where the entries live: each member
 * packs the entries of its partitions, and the caller joins the packs. One aggregation replaces a lookup per key.
 * This class does the packing; {@link PackedCounters} is what it produces.
 */
final class PackingAggregator<K>
        implements Aggregator<Map.Entry<K, MemberCounts>, PackedCounters>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    // grows by chunks as entries come; Hazelcast makes a copy per aggregation and member
    private transient PackedCounters packed = new PackedCounters();

    @Override
    public void accumulate(Map.Entry<K, MemberCounts> entry) {
        MemberCounts counts = entry.getValue();
        if (counts == null) {
            return;
        }
        long sum = counts.sum();
        // the labels straight from the stored key's bytes: no key object, strings or UTF-8 encoding per entry
        if (entry instanceof QueryableEntry<?, ?> q
                && packed.addSerialized(q.getKeyData().toByteArray(), sum)) {
            return;
        }
        packed.add(entry.getKey(), sum);
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        packed.addAll(((PackingAggregator<?>) aggregator).packed);
    }

    @Override
    public PackedCounters aggregate() {
        return packed;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PACKING_AGGREGATOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        packed.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        packed = new PackedCounters();
        packed.readData(in);
    }
}
