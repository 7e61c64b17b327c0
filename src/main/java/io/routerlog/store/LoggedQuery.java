package io.routerlog.store;

import java.util.Objects;

/**
 * One entry of the query log.
 *
 * @param timeMillis when routerlog took the query (epoch milliseconds)
 * @param router     the router that reported it, "" when the source does not say
 * @param client     the client as stored (canonical, anonymised with {@code --anonymize-clients})
 * @param domain     the name as stored (lower case)
 * @param qtype      the query type, such as {@code A} or {@code HTTPS}
 */
public record LoggedQuery(long timeMillis, String router, String client, String domain, String qtype) {
    public LoggedQuery {
        Objects.requireNonNull(router);
        Objects.requireNonNull(client);
        Objects.requireNonNull(domain);
        Objects.requireNonNull(qtype);
    }
}
