package io.routerlog.store;

import java.util.List;

/**
 * A registrable domain that looks like a tunnel, with what was seen of it within the window.
 *
 * @param domain   the registrable domain
 * @param clients  the clients that asked for names under it (addresses as stored), at most {@value
 *                 SuspectSearch#MAX_CLIENTS}, in order
 * @param routers  the routers those clients asked through
 * @param score    the tunnel score ({@link io.routerlog.detect.TunnelScore})
 * @param reasons  what raised the score
 * @param queries  queries for names under it
 * @param bytes    bytes of those names, summed over the queries
 * @param names       distinct names below it (an estimate above {@value io.routerlog.detect.DistinctSample#SIZE}),
 *                    each unprintable one counted as distinct
 * @param unusual     queries of an unusual type (TXT, NULL, ...)
 * @param nxdomain    NXDOMAIN replies
 * @param unprintable queries for names the resolver could not print, attributed to this domain
 */
public record Suspect(
        String domain,
        List<String> clients,
        List<String> routers,
        double score,
        List<String> reasons,
        long firstMillis,
        long lastMillis,
        long queries,
        long bytes,
        long names,
        long unusual,
        long nxdomain,
        long unprintable) {
    public Suspect {
        clients = List.copyOf(clients);
        routers = List.copyOf(routers);
        reasons = List.copyOf(reasons);
    }
}
