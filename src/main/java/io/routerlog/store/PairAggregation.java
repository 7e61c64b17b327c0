package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helpers the aggregations of {@link PairQueries} share: partial maps on the wire, top N. */
final class PairAggregation {
    private PairAggregation() {}

    static void writeCounts(ObjectDataOutput out, Map<String, long[]> counts) throws IOException {
        out.writeInt(counts.size());
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            out.writeString(e.getKey());
            out.writeLong(e.getValue()[0]);
        }
    }

    static Map<String, long[]> readCounts(ObjectDataInput in) throws IOException {
        int n = size(in);
        Map<String, long[]> counts = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            counts.put(string(in), new long[] {in.readLong()});
        }
        return counts;
    }

    static void addCounts(Map<String, long[]> into, Map<String, long[]> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    }

    static int size(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative size " + n);
        }
        return n;
    }

    static String string(ObjectDataInput in) throws IOException {
        String s = in.readString();
        if (s == null) {
            throw new IOException("missing string");
        }
        return s;
    }

    /** The {@code limit} entries with the highest counts, ties by name. */
    static List<Map.Entry<String, Long>> top(Map<String, long[]> counts, int limit) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> all.add(Map.entry(k, v[0])));
        all.sort(BY_COUNT);
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    static final Comparator<Map.Entry<String, Long>> BY_COUNT = Comparator.<Map.Entry<String, Long>>comparingLong(
                    Map.Entry::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey);
}
