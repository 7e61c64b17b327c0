package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.routerlog.store.PairAggregation.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Queries per client (router and address) over the pairs a {@link PairFilter} matches, with the number of distinct
 * domains it asked for: run where the pairs live, the answer the top N by queries, then by router and address.
 */
final class TopClients
        implements Aggregator<Map.Entry<PairKey, MemberCounts>, List<PairQueries.ClientCount>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private PairFilter filter;
    private int limit;
    private transient Map<String, Group> clients = new HashMap<>();

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the filter
    TopClients() {}

    TopClients(PairFilter filter, int limit) {
        this.filter = filter;
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<PairKey, MemberCounts> entry) {
        PairKey k = entry.getKey();
        MemberCounts counts = entry.getValue();
        if (counts != null && filter.matches(k)) {
            clients.computeIfAbsent(PairAggregation.clientKey(k.router(), k.client()), c -> new Group())
                    .add(counts.sum(), k.domain());
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((TopClients) aggregator)
                .clients.forEach(
                        (c, g) -> clients.computeIfAbsent(c, x -> new Group()).addAll(g));
    }

    @Override
    public List<PairQueries.ClientCount> aggregate() {
        List<PairQueries.ClientCount> all = new ArrayList<>(clients.size());
        clients.forEach((c, g) -> all.add(new PairQueries.ClientCount(
                PairAggregation.routerOfKey(c), PairAggregation.clientOfKey(c), g.queries, g.distinct.size())));
        all.sort(PairQueries.ClientCount.ORDER);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TOP_CLIENTS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        filter.writeData(out);
        out.writeInt(limit);
        PairAggregation.writeGroups(out, clients);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = PairFilter.readData(in);
        limit = in.readInt();
        clients = PairAggregation.readGroups(in);
    }
}
