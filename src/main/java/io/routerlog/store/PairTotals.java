package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/** The totals of the pairs map: queries, pairs and distinct clients (router and address), where the pairs live. */
final class PairTotals
        implements Aggregator<Map.Entry<Integer, PairShard>, PairQueries.Totals>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private transient PairTable table = new PairTable(false);

    @Override
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        scan.scanKeys(entry.getValue(), (b, off, f, total) -> table.add(b, off, f, total, false));
    }

    private final transient ShardScan scan = new ShardScan();

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        PairTotals other = (PairTotals) aggregator;
        table = PairTable.join(table, other.table);
        other.table = new PairTable(false); // its counts are this one's now
    }

    @Override
    public PairQueries.Totals aggregate() {
        return new PairQueries.Totals(table.queries, table.pairs, table.clientCount());
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PAIR_TOTALS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        table.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        table = new PairTable(false);
        table.readData(in);
    }
}
