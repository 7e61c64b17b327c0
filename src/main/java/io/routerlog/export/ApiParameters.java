package io.routerlog.export;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of one API request, checked: each known at most once, values in range. A value the client
 * got wrong throws {@link BadParameter} with the one line the API answers with.
 */
final class ApiParameters {
    static final int MAX_LIMIT = 1000;
    /** Longest a name can be: a DNS name, a router's host name. */
    private static final int MAX_NAME = 253;

    private final Map<String, List<String>> values;

    private ApiParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * The parameters of a raw query string, of which only {@code allowed} may appear, each at most once.
     *
     * @throws BadParameter for bad percent-encoding, an unknown parameter or one given twice
     */
    static ApiParameters parse(@Nullable String rawQuery, Set<String> allowed) {
        Map<String, List<String>> values;
        try {
            values = HttpEndpoints.ScrapeRequest.of("", rawQuery == null ? "" : rawQuery)
                    .parameters();
        } catch (HttpEndpoints.BadRequest e) {
            throw new BadParameter(String.valueOf(e.getMessage()));
        }
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new BadParameter("unknown parameter: " + e.getKey() + " (this path takes "
                        + (allowed.isEmpty()
                                ? "none"
                                : String.join(", ", allowed.stream().sorted().toList())) + ")");
            }
            if (e.getValue().size() > 1) {
                throw new BadParameter(e.getKey() + " is given more than once");
            }
        }
        return new ApiParameters(values);
    }

    private @Nullable String raw(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(0);
    }

    /** {@code limit}: a number from 1 to {@value #MAX_LIMIT}, or {@code orElse} when absent. */
    int limit(int orElse) {
        String v = raw("limit");
        return v == null ? orElse : limit(v);
    }

    static int limit(String v) {
        if (v.isEmpty() || v.length() > 4 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadParameter("limit must be a number from 1 to " + MAX_LIMIT + ": " + v);
        }
        int n = Integer.parseInt(v);
        if (n < 1 || n > MAX_LIMIT) {
            throw new BadParameter("limit must be a number from 1 to " + MAX_LIMIT + ": " + v);
        }
        return n;
    }

    /** {@code name}: a score, a number from 0 to 100, or {@code orElse} when absent. */
    double score(String name, double orElse) {
        String v = raw(name);
        if (v == null) {
            return orElse;
        }
        double d;
        try {
            d = v.length() > 8 ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= 0 && d <= 100)) {
            throw new BadParameter(name + " must be a number from 0 to 100: " + shown(v));
        }
        return d;
    }

    /** {@code minutes}: a number from 1 to {@code max}, or {@code orElse} when absent. */
    int minutes(int orElse, int max) {
        String v = raw("minutes");
        if (v == null) {
            return orElse;
        }
        if (v.isEmpty() || v.length() > 5 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadParameter("minutes must be a number from 1 to " + max + ": " + shown(v));
        }
        int n = Integer.parseInt(v);
        if (n < 1 || n > max) {
            throw new BadParameter("minutes must be a number from 1 to " + max + ": " + shown(v));
        }
        return n;
    }

    /** {@code client}: a client address as the metrics show it (anonymised where that is on), or null. */
    @Nullable
    String client() {
        String v = raw("client");
        return v == null ? null : client(v);
    }

    static String client(String v) {
        if (v.isEmpty() || v.length() > 100 || !printable(v)) {
            throw new BadParameter("client must be a client address as the metrics show it: " + shown(v));
        }
        return v;
    }

    /** {@code domain}: a name, compared in its stored form (lower case, no final dot), or null. */
    @Nullable
    String domain() {
        String v = raw("domain");
        if (v == null) {
            return null;
        }
        String d = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        if (d.isEmpty() || d.length() > MAX_NAME || !printable(d)) {
            throw new BadParameter("domain must be a name of 1 to " + MAX_NAME + " characters: " + shown(v));
        }
        return d.toLowerCase(Locale.ROOT);
    }

    /** {@code router}: a router's name as the metrics show it, or null. */
    @Nullable
    String router() {
        String v = raw("router");
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > MAX_NAME || !printable(v)) {
            throw new BadParameter("router must be a router name as the metrics show it: " + shown(v));
        }
        return v;
    }

    /** {@code qtype}: a query type such as {@code AAAA} or {@code TYPE65}, or null. */
    @Nullable
    String qtype() {
        String v = raw("qtype");
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > 16 || !v.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128)) {
            throw new BadParameter("qtype must be a query type such as A, AAAA or TYPE65: " + shown(v));
        }
        return v;
    }

    /** {@code name}: a part of a name (for the query log search, case-insensitive), or null. */
    @Nullable
    String namePart(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > MAX_NAME || !printable(v)) {
            throw new BadParameter(name + " must be a name of 1 to " + MAX_NAME + " characters: " + shown(v));
        }
        return v;
    }

    /** {@code name}: a cursor from an earlier page, or null. */
    @Nullable
    String cursor(String name) {
        String v = raw(name);
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > 200 || !printable(v)) {
            throw new BadParameter(name + " must be a cursor from an earlier answer: " + shown(v));
        }
        return v;
    }

    /** True when the parameter is present. */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** No spaces or control characters: nothing the store keeps has them. */
    private static boolean printable(String v) {
        return v.codePoints().allMatch(c -> c > ' ' && c != 0x7f && !Character.isISOControl(c));
    }

    /** A value as quoted in an error: cut to 100 characters, control characters escaped, so the error stays one line. */
    static String shown(String v) {
        StringBuilder b = new StringBuilder();
        v.codePoints().limit(100).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        if (v.codePointCount(0, v.length()) > 100) {
            b.append("...");
        }
        return b.toString();
    }

    /** A parameter the client got wrong: answered 400 with the message as {@code {"error": ...}}. */
    static final class BadParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message, null, false, false);
        }
    }
}
