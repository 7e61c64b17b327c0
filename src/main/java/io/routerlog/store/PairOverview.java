package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The totals, the top domains and the top clients of the pairs map in one pass where the pairs live: the web page's
 * overview asks all three at once, and each pass over the pairs reads every key again. The answers are those of
 * {@link PairTotals} and of {@link PairGroups} by domain and by client: one {@link PairTable} holds both groupings.
 */
final class PairOverview
        implements Aggregator<Map.Entry<Integer, PairShard>, PairQueries.Overview>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private int limit;
    private transient PairTable table = new PairTable(true);

    /** For deserialization. */
    PairOverview() {}

    PairOverview(int limit) {
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        scan.scanKeys(entry.getValue(), (b, off, f, total) -> table.add(b, off, f, total, true));
        table.endShard();
    }

    private final transient ShardScan scan = new ShardScan();

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        PairOverview other = (PairOverview) aggregator;
        table = PairTable.join(table, other.table);
        other.table = new PairTable(true); // its counts are this one's now
    }

    @Override
    public PairQueries.Overview aggregate() {
        List<PairQueries.DomainCount> topDomains = new ArrayList<>();
        for (PairGroups.Grouped g : table.topDomains(limit)) {
            topDomains.add(new PairQueries.DomainCount(g.first(), g.queries(), g.distinct()));
        }
        PairTable.Top clients = table.topClientsCounted(limit);
        List<PairQueries.ClientCount> topClients = new ArrayList<>();
        for (PairGroups.Grouped g : clients.items()) {
            topClients.add(new PairQueries.ClientCount(g.first(), g.second(), g.queries(), g.distinct()));
        }
        return new PairQueries.Overview(
                new PairQueries.Totals(table.queries, table.pairs, clients.names()), topDomains, topClients);
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PAIR_OVERVIEW;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(limit);
        table.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        limit = in.readInt();
        table = new PairTable(true);
        table.readData(in);
    }
}
