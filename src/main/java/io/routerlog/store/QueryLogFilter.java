package io.routerlog.store;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a query log search matches; a null field matches everything.
 *
 * @param client exact client as stored
 * @param router exact router
 * @param qtype  exact query type, case-insensitive
 * @param domain a part of the name, case-insensitive
 */
public record QueryLogFilter(
        @Nullable String client,
        @Nullable String router,
        @Nullable String qtype,
        @Nullable String domain) {
    public static final QueryLogFilter ALL = new QueryLogFilter(null, null, null, null);

    /** The filter as bytes, as the search compares them with the packed entries. */
    Compiled compile() {
        return new Compiled(
                bytes(client),
                bytes(router),
                bytes(qtype == null ? null : qtype.toUpperCase(Locale.ROOT)),
                bytes(domain == null ? null : domain.toLowerCase(Locale.ROOT)));
    }

    private static byte @Nullable [] bytes(@Nullable String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The filter's values as bytes; qtype upper-cased, domain lower-cased. */
    static final class Compiled {
        private final byte @Nullable [] client;
        private final byte @Nullable [] router;
        private final byte @Nullable [] qtype;
        private final byte @Nullable [] domain;

        Compiled(
                byte @Nullable [] client, byte @Nullable [] router, byte @Nullable [] qtype, byte @Nullable [] domain) {
            this.client = client;
            this.router = router;
            this.qtype = qtype;
            this.domain = domain;
        }

        /** True when the packed entry at {@code off} of {@code b} matches. */
        boolean matches(byte[] b, int off) {
            int r = QueryLogEntries.readShort(b, off + 8);
            int c = QueryLogEntries.readShort(b, off + 10);
            int d = QueryLogEntries.readShort(b, off + 12);
            int q = QueryLogEntries.readShort(b, off + 14);
            int p = off + QueryLogEntries.HEADER;
            if (router != null && !equal(b, p, r, router)) {
                return false;
            }
            p += r;
            if (client != null && !equal(b, p, c, client)) {
                return false;
            }
            p += c;
            if (domain != null && !contains(b, p, d, domain)) {
                return false;
            }
            p += d;
            return qtype == null || equalIgnoringAsciiCase(b, p, q, qtype);
        }

        private static boolean equal(byte[] b, int off, int len, byte[] v) {
            return len == v.length && java.util.Arrays.equals(b, off, off + len, v, 0, len);
        }

        private static boolean equalIgnoringAsciiCase(byte[] b, int off, int len, byte[] upper) {
            if (len != upper.length) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                byte x = b[off + i];
                if (x >= 'a' && x <= 'z') {
                    x = (byte) (x - ('a' - 'A'));
                }
                if (x != upper[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Stored names are lower case, and the filter is lower-cased: a plain byte search. */
        private static boolean contains(byte[] b, int off, int len, byte[] v) {
            int n = v.length;
            if (n == 0) {
                return true;
            }
            byte first = v[0];
            int last = off + len - n;
            for (int i = off; i <= last; i++) {
                if (b[i] == first && java.util.Arrays.equals(b, i + 1, i + n, v, 1, n)) {
                    return true;
                }
            }
            return false;
        }
    }
}
