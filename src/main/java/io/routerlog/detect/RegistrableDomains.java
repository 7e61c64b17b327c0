package io.routerlog.detect;

import com.google.common.net.InternetDomainName;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the registrable domain of a stored query name starts, by the Public Suffix List (Guava's copy of it). What
 * the list says of each suffix is remembered, so a stream of new names under known domains costs two map look-ups a
 * name instead of a parse. Not thread-safe: one per thread.
 */
public final class RegistrableDomains {
    /** Forgets what it learnt beyond this many suffixes (a flood of made-up domains). */
    private static final int MAX_REMEMBERED = 50_000;

    private enum Kind {
        PUBLIC_SUFFIX,
        REGISTRABLE,
        UNLISTED
    }

    private final Map<String, Kind> kinds = new HashMap<>();

    /**
     * The index in {@code name} where its registrable domain starts, or -1 when it has none: a public suffix itself,
     * a single label, a reverse lookup ({@code .arpa}) or not a name the list can speak of. A top-level domain the
     * list does not know ({@code .lan}, {@code .test}) counts as a public suffix, as the list's default rule says.
     */
    public int start(String name) {
        if (name.isEmpty() || name.endsWith(".arpa") || name.equals("arpa")) {
            return -1;
        }
        int from = name.length() - 1;
        boolean first = true;
        while (true) {
            int dot = name.lastIndexOf('.', from);
            int start = dot + 1;
            Kind kind = kindOf(name.substring(start));
            if (kind == Kind.REGISTRABLE) {
                return start;
            }
            if (kind == Kind.UNLISTED && !first) {
                return -1; // below a public suffix, yet not a domain: not a name the list can speak of
            }
            if (dot <= 0) {
                return -1;
            }
            first = false;
            from = dot - 1;
        }
    }

    private Kind kindOf(String tail) {
        Kind known = kinds.get(tail);
        if (known != null) {
            return known;
        }
        Kind kind;
        try {
            InternetDomainName d = InternetDomainName.from(tail);
            if (d.isPublicSuffix()) {
                kind = Kind.PUBLIC_SUFFIX;
            } else if (d.isTopPrivateDomain()) {
                kind = Kind.REGISTRABLE;
            } else if (d.parts().size() == 2 && !d.hasPublicSuffix()) {
                // under a top-level domain the list does not know: the default rule makes it registrable
                kind = Kind.REGISTRABLE;
            } else {
                kind = Kind.UNLISTED;
            }
        } catch (IllegalArgumentException e) {
            kind = Kind.UNLISTED;
        }
        if (kinds.size() >= MAX_REMEMBERED) {
            kinds.clear();
        }
        kinds.put(tail, kind);
        return kind;
    }
}
