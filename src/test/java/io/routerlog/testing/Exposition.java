package io.routerlog.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict reader of the Prometheus text exposition format, for checking what {@code /metrics} says: every sample
 * line must parse (metric name, label pairs with the format's escapes, a float value), and {@code # TYPE} and
 * {@code # HELP} lines must be well formed. Label values are unescaped, so tests compare them as they were sent.
 */
public final class Exposition {
    /** One sample: metric name, labels (sorted by name) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        /** The value of label {@code name}; fails when the sample has none. */
        public String label(String name) {
            String value = labels.get(name);
            if (value == null) {
                throw new AssertionError("no label " + name + " in " + this);
            }
            return value;
        }
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private Exposition() {}

    public static Exposition parse(String text) {
        Exposition e = new Exposition();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                e.line(line);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("line " + lineNo + " is not valid exposition format: " + line, ex);
            }
        }
        return e;
    }

    private void line(String line) {
        if (line.startsWith("# TYPE ")) {
            String[] f = line.substring(7).split(" ");
            require(
                    f.length == 2
                            && validName(f[0])
                            && List.of(
                                            "counter",
                                            "gauge",
                                            "histogram",
                                            "summary",
                                            "untyped",
                                            "info",
                                            "stateset",
                                            "gaugehistogram",
                                            "unknown")
                                    .contains(f[1]),
                    "bad TYPE line");
            types.put(f[0], f[1]);
            return;
        }
        if (line.startsWith("# HELP ") || line.startsWith("# EOF") || line.startsWith("# UNIT ")) {
            return;
        }
        require(!line.startsWith("#"), "unknown comment");
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(validName(name), "bad metric name '" + name + "'");
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                require(label.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "bad label name '" + label + "'");
                require(line.charAt(eq + 1) == '"', "label value not quoted");
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(
                                switch (n) {
                                    case 'n' -> '\n';
                                    case '\\' -> '\\';
                                    case '"' -> '"';
                                    default -> throw new IllegalArgumentException("bad escape \\" + n);
                                });
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, "duplicate label " + label);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(line.charAt(i) == ' ', "no space before value");
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length <= 2, "trailing text");
        samples.add(new Sample(
                name,
                labels,
                Double.parseDouble(rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))));
    }

    private static boolean validName(String name) {
        return name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    public Map<String, String> types() {
        return types;
    }

    /** Samples of one metric. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the one sample with exactly these labels ({@code "k", "v", ...}), or null. */
    public Double value(String name, String... labelPairs) {
        Map<String, String> want = new TreeMap<>();
        for (int k = 0; k < labelPairs.length; k += 2) {
            want.put(labelPairs[k], labelPairs[k + 1]);
        }
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(want)) {
                return s.value();
            }
        }
        return null;
    }

    /** {@code routerlog_dns_queries_total} as "client domain qtype" -> count, summed over the routers. */
    public Map<String, Long> queryCounts() {
        Map<String, Long> m = new TreeMap<>();
        for (Sample s : samples("routerlog_dns_queries_total")) {
            m.merge(
                    s.labels().get("client") + " " + s.labels().get("domain") + " "
                            + s.labels().get("qtype"),
                    (long) s.value(),
                    Long::sum);
        }
        return m;
    }

    /** {@code routerlog_dns_queries_total} as "router client domain qtype" -> count. */
    public Map<String, Long> queryCountsByRouter() {
        Map<String, Long> m = new TreeMap<>();
        for (Sample s : samples("routerlog_dns_queries_total")) {
            m.put(
                    s.labels().get("router") + " " + s.labels().get("client") + " "
                            + s.labels().get("domain") + " " + s.labels().get("qtype"),
                    (long) s.value());
        }
        return m;
    }
}
