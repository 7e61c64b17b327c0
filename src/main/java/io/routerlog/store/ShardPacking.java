package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Packs the pairs of the {@link PairShard}s where they live into {@link PackedCounters}, copying each key's labels
 * straight from the shard's bytes: no key, string or entry object per pair.
 */
final class ShardPacking
        implements Aggregator<Map.Entry<Integer, PairShard>, PackedCounters>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    // sized by each shard as it comes (PackedCounters#reserve); Hazelcast makes a copy per aggregation and member
    private transient PackedCounters packed = new PackedCounters();
    /** For the rare label too long to pack from bytes; made when one comes (its cache is 64 KiB). */
    private transient @Nullable ShardScan scan;

    private final transient PairBytes.Fields fields = new PairBytes.Fields();

    @Override
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        PairShard shard = entry.getValue();
        if (shard != null) {
            packed.reserve(shard.packedBound()); // the shard's entries in one chunk
            int now = (int) (System.currentTimeMillis() / 1000);
            shard.forEach(now, (keys, off, len, total) -> {
                if (!packed.addPair(keys, off, len, total, fields)) {
                    // a label longer than the packed form takes: pack the key itself
                    if (scan == null) {
                        scan = new ShardScan();
                    }
                    PairKey k = scan.decode(keys, off, len);
                    if (k != null) {
                        packed.add(k, total);
                    }
                }
            });
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        packed.addAll(((ShardPacking) aggregator).packed);
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
        return StoreSerialization.SHARD_PACKING;
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
