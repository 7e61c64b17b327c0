package io.routerlog.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of the query API, written by Jackson in the order of their fields (docs/API.md). */
final class ApiJson {
    private ApiJson() {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** ISO-8601 in UTC with milliseconds, or null for 0 (unknown). */
    static @Nullable String time(long epochMillis) {
        return epochMillis == 0 ? null : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    record Failure(String error) {}

    record Items<T>(List<T> items) {}

    record Domain(String domain, long queries, int clients) {}

    record Client(
            String client,
            String router,
            long queries,
            int domains,
            @Nullable String mac,
            @Nullable String hostname,
            @Nullable String lastSeen) {}

    record DomainQueries(String domain, long queries) {}

    /**
     * One client of one router.
     *
     * @param routers every router that logged the address, most queries first
     */
    record ClientDetail(
            String client,
            String router,
            List<String> routers,
            @Nullable String mac,
            @Nullable String hostname,
            long queries,
            @Nullable String firstSeen,
            @Nullable String lastSeen,
            int domainCount,
            List<DomainQueries> domains,
            Map<String, Long> qtypes,
            Map<String, Long> outcomes) {}

    record Query(@Nullable String time, String router, String client, String domain, String qtype) {}

    /** A page of the query log, newest first, with cursors to page on ({@code before=next}, {@code after=newest}). */
    record Queries(
            List<Query> items,
            @Nullable String next,
            @Nullable String newest) {}

    record QueryRate(@Nullable Double perSecond, @Nullable Double seconds) {}

    record Summary(
            String version,
            int members,
            long queries,
            long pairs,
            int pairCapacity,
            long clients,
            Map<String, Long> outcomes,
            int dhcpIdentities,
            int dnsttSessions,
            QueryRate queryRate) {}

    /** The summary, the top domains and the top clients in one answer (the web page's overview). */
    record Overview(Summary summary, List<Domain> domains, List<Client> clients) {}

    /** Queries per step from {@code start}, oldest first; the last step is the current, unfinished one. */
    record Activity(@Nullable String start, int stepSeconds, long[] queries) {}

    record FirewallTalker(String prefix, String src, String dst, String proto, String dport, long packets) {}

    record HttpTalker(String client, String frontend, String backend, String status, long requests) {}

    record Member(String address, boolean local, boolean ingest) {}

    /**
     * The cluster as the asked node sees it, and that node's own health.
     *
     * @param drops messages this node dropped since it started, per reason (those with any)
     */
    record Cluster(
            List<Member> members,
            String node,
            @Nullable String lastFlush,
            long flushFailures,
            Map<String, Long> drops) {}

    record Session(
            String domain,
            String session,
            @Nullable String country,
            @Nullable Long asn,
            boolean active,
            long queries,
            long bytesIn,
            @Nullable String firstSeen,
            @Nullable String lastSeen) {}

    record Tunnel(
            String domain,
            @Nullable String country,
            @Nullable Long asn,
            long active,
            long peak,
            long queries,
            long bytesIn,
            @Nullable Long bytesOut,
            long sessions,
            long invalid) {}

    /**
     * A domain that looks like a tunnel (docs/DETECTION.md). The field names follow the issue that asked for the
     * endpoint; the others of the API are camel case.
     */
    record Suspect(
            String domain,
            List<String> clients,
            List<String> routers,
            double score,
            List<String> reasons,
            @JsonProperty("first_seen") @Nullable String firstSeen,
            @JsonProperty("last_seen") @Nullable String lastSeen,
            long queries,
            long bytes,
            @JsonProperty("unique_names") long uniqueNames,
            @JsonProperty("unusual_types") long unusualTypes,
            long nxdomain,
            @JsonProperty("unprintable_names") long unprintableNames) {}

    /** The suspects, highest score first, with the window and threshold they were judged by. */
    record Suspects(
            List<Suspect> items,
            @JsonProperty("window_seconds") long windowSeconds,
            double threshold) {}
}
