package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Which query pairs a query of the API looks at: each given field must equal the pair's, a null field matches
 * everything. The one place where a pair's fields are compared, so that a new field is matched here only.
 *
 * @param router the router that logged the query (its syslog host name)
 * @param client the client address, in its stored form
 * @param domain the domain, in its stored form
 * @param qtype  the query type (in the outcomes map: the outcome)
 */
public record PairFilter(
        @Nullable String router,
        @Nullable String client,
        @Nullable String domain,
        @Nullable String qtype) {
    /** Matches every pair. */
    public static final PairFilter ALL = new PairFilter(null, null, null);

    public PairFilter(@Nullable String router, @Nullable String client, @Nullable String domain) {
        this(router, client, domain, null);
    }

    /** This filter, also requiring the query type (or outcome) {@code qtype}. */
    public PairFilter withQtype(String qtype) {
        return new PairFilter(router, client, domain, qtype);
    }

    public boolean matches(PairKey k) {
        return (client == null || client.equals(k.client()))
                && (domain == null || domain.equals(k.domain()))
                && (router == null || router.equals(k.router()))
                && (qtype == null || qtype.equals(k.qtype()));
    }

    void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(router);
        out.writeString(client);
        out.writeString(domain);
        out.writeString(qtype);
    }

    static PairFilter readData(ObjectDataInput in) throws IOException {
        return new PairFilter(in.readString(), in.readString(), in.readString(), in.readString());
    }
}
