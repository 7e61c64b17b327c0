package io.routerlog.store;

import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Whole-cluster questions about the query pairs, each answered by one Hazelcast aggregation that runs on the
 * members that own the pairs (and is repeated there when partitions move), so every pair counts once and any
 * member gives the same answer. A pair's count is the sum of its members' contributions, the number the metrics export.
 */
public final class PairQueries {
    private final IMap<Integer, PairShard> pairs;
    private final IMap<Integer, PairShard> outcomes;

    /** @param outcomes reply outcomes per (router, client or empty, domain, outcome) */
    PairQueries(IMap<Integer, PairShard> pairs, IMap<Integer, PairShard> outcomes) {
        this.pairs = pairs;
        this.outcomes = outcomes;
    }

    /** Queries for one domain and how many distinct clients (router and address) asked for it. */
    public record DomainCount(String domain, long queries, int clients) {}

    /** Queries of one client of one router and how many distinct domains it asked for. */
    public record ClientCount(String router, String client, long queries, int domains) {}

    /** A name with its count. */
    public record NameCount(String name, long queries) {}

    /**
     * What one client of one router asked for.
     *
     * @param domainCount distinct domains, of which {@code domains} holds the most queried
     * @param qtypes      queries per query type, most first
     */
    public record ClientDetail(
            String router,
            String client,
            long queries,
            int domainCount,
            List<NameCount> domains,
            Map<String, Long> qtypes) {
        static final Comparator<ClientDetail> ORDER =
                Comparator.comparingLong(ClientDetail::queries).reversed().thenComparing(ClientDetail::router);
    }

    /** The whole map: queries (the sum of all pairs), pairs held and distinct clients. */
    public record Totals(long queries, long pairs, long clients) {}

    /** The {@code limit} most queried domains among the pairs {@code filter} matches. */
    public List<DomainCount> topDomains(PairFilter filter, int limit) {
        return domains(pairs.aggregate(PairGroups.byDomain(filter, limit)));
    }

    /** The {@code limit} clients with the most queries among the pairs {@code filter} matches. */
    public List<ClientCount> topClients(PairFilter filter, int limit) {
        List<ClientCount> top = new ArrayList<>();
        for (PairGroups.Grouped g : pairs.aggregate(PairGroups.byClient(filter, limit))) {
            top.add(new ClientCount(g.first(), g.second(), g.queries(), g.distinct()));
        }
        return top;
    }

    /**
     * One client's queries, one detail per router that logged it (most queries first; empty when no pair has it),
     * each with its {@code limit} most queried domains.
     *
     * @param router the router, or null for every router
     */
    public List<ClientDetail> client(@org.jspecify.annotations.Nullable String router, String client, int limit) {
        return pairs.aggregate(new ClientUsage(new PairFilter(router, client, null), limit));
    }

    /**
     * The {@code limit} domains with the most replies of {@code outcome} among those {@code filter} matches;
     * {@code clients} counts only the replies that named their client.
     */
    public List<DomainCount> topDomainsByOutcome(PairFilter filter, String outcome, int limit) {
        return domains(outcomes.aggregate(PairGroups.byDomain(filter.withQtype(outcome), limit)));
    }

    /** Replies per outcome to one client of one router (those whose reply lines named the client), most first. */
    public Map<String, Long> clientOutcomes(String router, String client) {
        List<ClientDetail> found = outcomes.aggregate(new ClientUsage(new PairFilter(router, client, null), 1));
        return found.isEmpty() ? Map.of() : found.get(0).qtypes();
    }

    private static List<DomainCount> domains(List<PairGroups.Grouped> groups) {
        List<DomainCount> top = new ArrayList<>(groups.size());
        groups.forEach(g -> top.add(new DomainCount(g.first(), g.queries(), g.distinct())));
        return top;
    }

    /** The totals with the top domains and clients, as {@link #totals}, {@link #topDomains} and {@link #topClients}. */
    public record Overview(Totals totals, List<DomainCount> domains, List<ClientCount> clients) {}

    /** The totals and the {@code limit} top domains and clients of the whole map, in one pass over it. */
    public Overview overview(int limit) {
        return pairs.aggregate(new PairOverview(limit));
    }

    public Totals totals() {
        return pairs.aggregate(new PairTotals());
    }
}
