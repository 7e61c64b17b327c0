package io.routerlog.detect;

/**
 * What was seen of one registrable domain within the window, from every client: the numbers {@link TunnelScore}
 * weighs.
 *
 * @param queries  queries for names under it
 * @param unusual  those of the types tunnels carry data in and ordinary clients rarely ask for: TXT, NULL, CNAME,
 *                 MX, private types ({@link QueryTypes#isUnusual})
 * @param nxdomain    replies that said the name does not exist
 * @param unprintable queries for names the resolver could not print (binary labels), attributed to this domain
 * @param names       the distinct printable names below it, as a sample
 */
public record DomainActivity(long queries, long unusual, long nxdomain, long unprintable, DistinctSample names) {
    /** Estimated bytes of distinct printable names below the domain: what the queries could have carried out. */
    public long information() {
        return Math.round(names.distinct() * names.meanLength());
    }

    /** Distinct names, each unprintable one counted as distinct (nothing but a tunnel sends them). */
    public long distinct() {
        return names.distinct() + unprintable;
    }
}
