package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The totals of the pairs map: queries, pairs and distinct clients (router and address), where the pairs live. */
final class PairTotals
        implements Aggregator<Map.Entry<PairKey, MemberCounts>, PairQueries.Totals>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private long queries;
    private long pairs;
    private transient Set<String> clients = new HashSet<>();

    @Override
    public void accumulate(Map.Entry<PairKey, MemberCounts> entry) {
        MemberCounts counts = entry.getValue();
        if (counts != null) {
            queries += counts.sum();
            pairs++;
            clients.add(PairAggregation.clientKey(
                    entry.getKey().router(), entry.getKey().client()));
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        PairTotals other = (PairTotals) aggregator;
        queries += other.queries;
        pairs += other.pairs;
        clients.addAll(other.clients);
    }

    @Override
    public PairQueries.Totals aggregate() {
        return new PairQueries.Totals(queries, pairs, clients.size());
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
        out.writeLong(queries);
        out.writeLong(pairs);
        out.writeInt(clients.size());
        for (String c : clients) {
            out.writeString(c);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        queries = in.readLong();
        pairs = in.readLong();
        int n = PairAggregation.size(in);
        clients = new HashSet<>();
        for (int i = 0; i < n; i++) {
            clients.add(PairAggregation.string(in));
        }
    }
}
