package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one client address asked for, per router that logged it: its total, queries per domain (the top N in the
 * answer) and per query type. Run where the pairs live; a member's part holds the client's domains, which a
 * client's pairs bound.
 */
final class ClientUsage
        implements Aggregator<Map.Entry<Integer, PairShard>, List<PairQueries.ClientDetail>>,
                IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    private PairFilter filter;
    private int limit;
    /** Per router: the domains and query types of the client. */
    private transient Map<String, Usage> routers = new HashMap<>();

    private static final class Usage {
        long queries;
        Map<String, long[]> domains = new HashMap<>();
        Map<String, long[]> qtypes = new HashMap<>();

        void add(Usage other) {
            queries += other.queries;
            PairAggregation.addCounts(domains, other.domains);
            PairAggregation.addCounts(qtypes, other.qtypes);
        }
    }

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the filter and its matcher
    ClientUsage() {}

    /** @param filter names the client (and the router, if one is asked for) */
    ClientUsage(PairFilter filter, int limit) {
        this.filter = filter;
        this.matcher = filter.onKeys();
        this.limit = limit;
    }

    @Override
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        PairFilter.KeyMatcher m = matcher;
        scan.scanKeys(entry.getValue(), (b, off, f, n) -> {
            if (m.matches(b, f)) {
                PairKey k = scan.key(b, f);
                Usage u = routers.computeIfAbsent(k.router(), r -> new Usage());
                u.queries += n;
                u.domains.computeIfAbsent(k.domain(), d -> new long[1])[0] += n;
                u.qtypes.computeIfAbsent(k.qtype(), t -> new long[1])[0] += n;
            }
        });
    }

    private final transient ShardScan scan = new ShardScan();
    /** The filter over stored keys, made where the aggregation runs. */
    private transient PairFilter.KeyMatcher matcher;

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        ((ClientUsage) aggregator)
                .routers.forEach(
                        (r, u) -> routers.computeIfAbsent(r, x -> new Usage()).add(u));
    }

    /** One detail per router that logged the client, most queries first. */
    @Override
    public List<PairQueries.ClientDetail> aggregate() {
        List<PairQueries.ClientDetail> out = new ArrayList<>(routers.size());
        String client = filter.client() == null ? "" : filter.client();
        routers.forEach((router, u) -> {
            Map<String, Long> qtypes = new LinkedHashMap<>();
            PairAggregation.top(u.qtypes, Integer.MAX_VALUE).forEach(e -> qtypes.put(e.getKey(), e.getValue()));
            List<PairQueries.NameCount> domains = new ArrayList<>();
            PairAggregation.top(u.domains, limit)
                    .forEach(e -> domains.add(new PairQueries.NameCount(e.getKey(), e.getValue())));
            out.add(new PairQueries.ClientDetail(router, client, u.queries, u.domains.size(), domains, qtypes));
        });
        out.sort(PairQueries.ClientDetail.ORDER);
        return out;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.CLIENT_USAGE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        filter.writeData(out);
        out.writeInt(limit);
        out.writeInt(routers.size());
        for (Map.Entry<String, Usage> e : routers.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue().queries);
            PairAggregation.writeCounts(out, e.getValue().domains);
            PairAggregation.writeCounts(out, e.getValue().qtypes);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = PairFilter.readData(in);
        matcher = filter.onKeys();
        limit = in.readInt();
        int n = PairAggregation.size(in);
        routers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String router = PairAggregation.string(in);
            Usage u = new Usage();
            u.queries = in.readLong();
            u.domains = PairAggregation.readCounts(in);
            u.qtypes = PairAggregation.readCounts(in);
            routers.put(router, u);
        }
    }
}
