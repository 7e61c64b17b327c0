package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.routerlog.store.PairAggregation.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Queries per domain (with the number of distinct clients that asked for it) or per client (router and address,
 * with the number of distinct domains it asked for) over the pairs a {@link PairFilter} matches: run where the pairs
 * live, the answer the top N by queries, then by key. Over the outcomes map, whose client is empty when a reply line
 * did not name it, such a reply counts for its domain but not as a client.
 */
final class PairGroups
        implements Aggregator<Map.Entry<PairKey, MemberCounts>, List<PairGroups.Grouped>>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;

    /** A domain, or a client as {@link PairAggregation#clientKey}; its queries; the distinct values of the other. */
    record Grouped(String key, long queries, int distinct) {
        static final Comparator<Grouped> ORDER =
                Comparator.comparingLong(Grouped::queries).reversed().thenComparing(Grouped::key);
    }

    private PairFilter filter;
    private boolean byDomain;
    private int limit;
    private transient Map<String, Group> groups = new HashMap<>();

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the filter
    PairGroups() {}

    private PairGroups(PairFilter filter, boolean byDomain, int limit) {
        this.filter = filter;
        this.byDomain = byDomain;
        this.limit = limit;
    }

    static PairGroups byDomain(PairFilter filter, int limit) {
        return new PairGroups(filter, true, limit);
    }

    static PairGroups byClient(PairFilter filter, int limit) {
        return new PairGroups(filter, false, limit);
    }

    @Override
    public void accumulate(Map.Entry<PairKey, MemberCounts> entry) {
        PairKey k = entry.getKey();
        MemberCounts counts = entry.getValue();
        if (counts == null || !filter.matches(k)) {
            return;
        }
        String client = PairAggregation.clientKey(k.router(), k.client());
        Group g = groups.computeIfAbsent(byDomain ? k.domain() : client, x -> new Group());
        g.queries += counts.sum();
        if (!byDomain) {
            g.distinct.add(k.domain());
        } else if (!k.client().isEmpty()) {
            g.distinct.add(client);
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((PairGroups) aggregator)
                .groups.forEach(
                        (k, g) -> groups.computeIfAbsent(k, x -> new Group()).addAll(g));
    }

    @Override
    public List<Grouped> aggregate() {
        List<Grouped> all = new ArrayList<>(groups.size());
        groups.forEach((k, g) -> all.add(new Grouped(k, g.queries, g.distinct.size())));
        all.sort(Grouped.ORDER);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PAIR_GROUPS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        filter.writeData(out);
        out.writeBoolean(byDomain);
        out.writeInt(limit);
        PairAggregation.writeGroups(out, groups);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = PairFilter.readData(in);
        byDomain = in.readBoolean();
        limit = in.readInt();
        groups = PairAggregation.readGroups(in);
    }
}
