package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Queries per domain (with the number of distinct clients that asked for it) or per client (router and address,
 * with the number of distinct domains it asked for) over the pairs a {@link PairFilter} matches: run where the pairs
 * live, the answer the top N by queries, then by key. Over the outcomes map, whose client is empty when a reply line
 * did not name it, such a reply counts for its domain but not as a client.
 */
final class PairGroups
        implements Aggregator<Map.Entry<Integer, PairShard>, List<PairGroups.Grouped>>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;

    /**
     * A domain (and an empty {@code second}), or a client (its router, and its address as {@code second}); its
     * queries; the distinct values of the other.
     */
    record Grouped(String first, String second, long queries, int distinct) {}

    private PairFilter filter;
    private boolean byDomain;
    private int limit;
    private transient PairTable table = new PairTable(true);
    private final transient ShardScan scan = new ShardScan();
    /** The filter over stored keys, made where the aggregation runs. */
    private transient PairFilter.KeyMatcher matcher;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the filter and its matcher
    PairGroups() {}

    private PairGroups(PairFilter filter, boolean byDomain, int limit) {
        this.filter = filter;
        this.matcher = filter.onKeys();
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
    public void accumulate(Map.Entry<Integer, PairShard> entry) {
        PairFilter.KeyMatcher m = matcher;
        scan.scanKeys(entry.getValue(), (b, off, f, total) -> {
            if (m.matches(b, f)) {
                table.add(b, off, f, total, !byDomain || f.clientLength() > 0);
            }
        });
        table.endShard();
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        PairGroups other = (PairGroups) aggregator;
        table = PairTable.join(table, other.table);
        other.table = new PairTable(true); // its counts are this one's now
    }

    @Override
    public List<Grouped> aggregate() {
        return byDomain ? table.topDomains(limit) : table.topClients(limit);
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
        table.writeData(out);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        filter = PairFilter.readData(in);
        matcher = filter.onKeys();
        byDomain = in.readBoolean();
        limit = in.readInt();
        table = new PairTable(true);
        table.readData(in);
    }
}
