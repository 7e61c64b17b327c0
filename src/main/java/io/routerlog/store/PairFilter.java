package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Which query pairs a query of the API looks at: each given field must equal the pair's, a null field matches
 * everything. The one place where a pair's fields are compared ({@link KeyMatcher}, on the stored keys), so that a
 * new field is matched here only.
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

    /** This filter over stored keys ({@link PairBytes}): it compares bytes and decodes nothing. */
    KeyMatcher onKeys() {
        return new KeyMatcher(this);
    }

    /** A {@link PairFilter} over the fields of stored keys, each given field as its stored (UTF-8) bytes. */
    static final class KeyMatcher {
        private final byte @Nullable [] router;
        private final byte @Nullable [] client;
        private final byte @Nullable [] domain;
        private final byte @Nullable [] qtype;

        private KeyMatcher(PairFilter f) {
            router = utf8(f.router());
            client = utf8(f.client());
            domain = utf8(f.domain());
            qtype = utf8(f.qtype());
        }

        /** Whether the key in {@code b} whose fields {@code f} has read matches. */
        boolean matches(byte[] b, PairBytes.Fields f) {
            return same(client, b, f.clientOffset(), f.clientLength())
                    && same(domain, b, f.domainOffset(), f.domainLength())
                    && same(router, b, f.routerOffset(), f.routerLength())
                    && same(qtype, b, f.qtypeOffset(), f.qtypeLength());
        }

        private static boolean same(byte @Nullable [] want, byte[] b, int off, int len) {
            return want == null || Arrays.equals(want, 0, want.length, b, off, off + len);
        }

        private static byte @Nullable [] utf8(@Nullable String s) {
            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }
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
