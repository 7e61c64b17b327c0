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
 * The totals, the top domains and the top clients of the pairs map in one pass where the pairs live: the web page's
 * overview asks all three at once, and each pass over the pairs reads every key again. The answers are those of
 * {@link PairTotals} and of {@link PairGroups} by domain and by client.
 */
final class PairOverview
        implements Aggregator<Map.Entry<PairKey, MemberCounts>, PairQueries.Overview>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private int limit;
    private long queries;
    private long pairs;
    private transient Map<String, Group> domains = new HashMap<>();
    private transient Map<String, Group> clients = new HashMap<>();

    /** For deserialization. */
    PairOverview() {}

    PairOverview(int limit) {
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<PairKey, MemberCounts> entry) {
        MemberCounts counts = entry.getValue();
        if (counts == null) {
            return;
        }
        PairKey k = entry.getKey();
        long n = counts.sum();
        queries += n;
        pairs++;
        String client = PairAggregation.clientKey(k.router(), k.client());
        domains.computeIfAbsent(k.domain(), x -> new Group()).add(n, client);
        clients.computeIfAbsent(client, x -> new Group()).add(n, k.domain());
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        PairOverview other = (PairOverview) aggregator;
        queries += other.queries;
        pairs += other.pairs;
        other.domains.forEach(
                (k, g) -> domains.computeIfAbsent(k, x -> new Group()).addAll(g));
        other.clients.forEach(
                (k, g) -> clients.computeIfAbsent(k, x -> new Group()).addAll(g));
    }

    @Override
    public PairQueries.Overview aggregate() {
        List<PairQueries.DomainCount> topDomains = new ArrayList<>();
        for (PairGroups.Grouped g : top(domains)) {
            topDomains.add(new PairQueries.DomainCount(g.key(), g.queries(), g.distinct()));
        }
        List<PairQueries.ClientCount> topClients = new ArrayList<>();
        for (PairGroups.Grouped g : top(clients)) {
            topClients.add(new PairQueries.ClientCount(
                    PairAggregation.routerOfKey(g.key()),
                    PairAggregation.clientOfKey(g.key()),
                    g.queries(),
                    g.distinct()));
        }
        return new PairQueries.Overview(new PairQueries.Totals(queries, pairs, clients.size()), topDomains, topClients);
    }

    private List<PairGroups.Grouped> top(Map<String, Group> groups) {
        List<PairGroups.Grouped> all = new ArrayList<>(groups.size());
        groups.forEach((k, g) -> all.add(new PairGroups.Grouped(k, g.queries, g.distinct.size())));
        all.sort(PairGroups.Grouped.ORDER);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
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
        out.writeLong(queries);
        out.writeLong(pairs);
        PairAggregation.writeGroups(out, domains);
        PairAggregation.writeGroups(out, clients);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        limit = in.readInt();
        queries = in.readLong();
        pairs = in.readLong();
        domains = PairAggregation.readGroups(in);
        clients = PairAggregation.readGroups(in);
    }
}
