package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.routerlog.detect.DomainActivity;
import io.routerlog.detect.TunnelScore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores every registrable domain of the tunnel-detection map within the window, where the map's entries live, and
 * keeps those that score at least the asked score. Every entry of a domain lives in one partition ({@link
 * SuspectKey}), and a member ships the result of whole partitions, so what a member ships of a domain is all there
 * is of it: a member ships only the domains that pass, and a flood of ordinary domains never crosses the network.
 */
final class SuspectSearch
        implements Aggregator<Map.Entry<SuspectKey, SuspectStats>, List<Suspect>>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    static final int MAX_CLIENTS = 64;

    private long fromMillis;
    private double minScore;
    private transient Map<String, Group> domains = new HashMap<>();

    /** For deserialization. */
    SuspectSearch() {}

    /**
     * @param fromMillis only buckets that start at or after this count
     * @param minScore   the least score a domain needs (besides enough distinct names)
     */
    SuspectSearch(long fromMillis, double minScore) {
        this.fromMillis = fromMillis;
        this.minScore = minScore;
    }

    private static final class Group {
        final SuspectStats stats = new SuspectStats();
        final Set<String> clients = new TreeSet<>();
        final Set<String> routers = new TreeSet<>();

        void add(String router, String client, SuspectStats s) {
            stats.add(s);
            if (clients.size() < MAX_CLIENTS && !client.isEmpty()) {
                clients.add(client);
            }
            routers.add(router);
        }

        void addAll(Group g) {
            stats.add(g.stats);
            for (String c : g.clients) {
                if (clients.size() >= MAX_CLIENTS) {
                    break;
                }
                clients.add(c);
            }
            routers.addAll(g.routers);
        }

        DomainActivity activity() {
            return new DomainActivity(
                    stats.queries(), stats.unusual(), stats.nxdomain(), stats.unprintable(), stats.names());
        }
    }

    @Override
    public void accumulate(Map.Entry<SuspectKey, SuspectStats> entry) {
        SuspectKey k = entry.getKey();
        SuspectStats s = entry.getValue();
        if (s == null || k.bucketMillis() < fromMillis) {
            return;
        }
        domains.computeIfAbsent(k.domain(), d -> new Group()).add(k.router(), k.client(), s);
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        SuspectSearch other = (SuspectSearch) aggregator;
        other.domains.forEach(
                (d, g) -> domains.computeIfAbsent(d, x -> new Group()).addAll(g));
    }

    @Override
    public List<Suspect> aggregate() {
        List<Suspect> out = new ArrayList<>();
        domains.forEach((domain, g) -> {
            DomainActivity a = g.activity();
            if (a.distinct() < TunnelScore.MIN_DISTINCT) {
                return; // too few names to be one, whatever the score
            }
            TunnelScore.Verdict v = TunnelScore.of(a);
            if (TunnelScore.suspect(a, v, minScore)) {
                SuspectStats s = g.stats;
                out.add(new Suspect(
                        domain,
                        new ArrayList<>(g.clients),
                        new ArrayList<>(g.routers),
                        v.score(),
                        v.reasons(),
                        s.firstMillis(),
                        s.lastMillis(),
                        s.queries(),
                        s.bytes(),
                        a.distinct(),
                        s.unusual(),
                        s.nxdomain(),
                        s.unprintable()));
            }
        });
        out.sort(Comparator.comparingDouble(Suspect::score)
                .reversed()
                .thenComparing(Comparator.comparingLong(Suspect::queries).reversed())
                .thenComparing(Suspect::domain));
        return out;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.SUSPECT_SEARCH;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(fromMillis);
        out.writeDouble(minScore);
        // only the domains that pass: what a member holds of a domain is complete (see the class comment)
        List<Map.Entry<String, Group>> passing = new ArrayList<>();
        for (Map.Entry<String, Group> e : domains.entrySet()) {
            DomainActivity a = e.getValue().activity();
            if (a.distinct() >= TunnelScore.MIN_DISTINCT && TunnelScore.suspect(a, TunnelScore.of(a), minScore)) {
                passing.add(e);
            }
        }
        out.writeInt(passing.size());
        for (Map.Entry<String, Group> e : passing) {
            Group g = e.getValue();
            out.writeString(e.getKey());
            g.stats.writeData(out);
            writeStrings(out, g.clients);
            writeStrings(out, g.routers);
        }
    }

    private static void writeStrings(ObjectDataOutput out, Set<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeString(s);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        fromMillis = in.readLong();
        minScore = in.readDouble();
        int n = in.readInt();
        domains = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String domain = String.valueOf(in.readString());
            Group g = new Group();
            g.stats.readData(in);
            readStrings(in, g.clients);
            readStrings(in, g.routers);
            domains.put(domain, g);
        }
    }

    private static void readStrings(ObjectDataInput in, Set<String> into) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            into.add(String.valueOf(in.readString()));
        }
    }
}
