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
 * Queries per domain over the pairs a {@link PairFilter} matches, with the number of distinct clients (router and
 * address) that asked: run where the pairs live, each member's part a map per domain, the answer the top N by
 * queries, then by name.
 */
final class TopDomains
        implements Aggregator<Map.Entry<PairKey, MemberCounts>, List<PairQueries.DomainCount>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private PairFilter filter;
    private int limit;
    private transient Map<String, Group> domains = new HashMap<>();

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the filter
    TopDomains() {}

    TopDomains(PairFilter filter, int limit) {
        this.filter = filter;
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<PairKey, MemberCounts> entry) {
        PairKey k = entry.getKey();
        MemberCounts counts = entry.getValue();
        if (counts != null && filter.matches(k)) {
            Group g = domains.computeIfAbsent(k.domain(), d -> new Group());
            g.queries += counts.sum();
            if (!k.client().isEmpty()) { // outcomes of reply lines that name no client
                g.distinct.add(PairAggregation.clientKey(k.router(), k.client()));
            }
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((TopDomains) aggregator)
                .domains.forEach(
                        (d, g) -> domains.computeIfAbsent(d, x -> new Group()).addAll(g));
    }

    @Override
    public List<PairQueries.DomainCount> aggregate() {
        List<PairQueries.DomainCount> all = new ArrayList<>(domains.size());
        domains.forEach((d, g) -> all.add(new PairQueries.DomainCount(d, g.queries, g.distinct.size())));
        all.sort(PairQueries.DomainCount.ORDER);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TOP_DOMAINS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        filter.writeData(out);
        out.writeInt(limit);
        PairAggregation.writeGroups(out, domains);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = PairFilter.readData(in);
        limit = in.readInt();
        domains = PairAggregation.readGroups(in);
    }
}
