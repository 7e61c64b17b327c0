package io.routerlog.export;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * The query rate over about the last minute, from samples of the cluster's query total (the sum of the pairs map)
 * that this node takes: (newest total - oldest total within the window) / the time between them. Pairs evicted or
 * expired in between lower the total, so the rate never goes below 0 but may read low while the store is full.
 */
final class QueryRate {
    static final long WINDOW_MILLIS = 60_000;

    /** Samples (epoch millis, total), oldest first, none older than the window plus one. */
    private final Deque<long[]> samples = new ArrayDeque<>();

    /** The rate and the span it was measured over. */
    record Rate(double perSecond, double seconds) {}

    synchronized void record(long nowMillis, long total) {
        samples.addLast(new long[] {nowMillis, total});
        // keep one sample at or before the window's start, so a full window can be measured
        while (samples.size() > 2) {
            long[] second = samples.stream().skip(1).findFirst().orElseThrow();
            if (second[0] <= nowMillis - WINDOW_MILLIS) {
                samples.removeFirst();
            } else {
                break;
            }
        }
        while (samples.size() > 256) {
            samples.removeFirst();
        }
    }

    /** Queries per second over the last minute (or as much of it as there are samples for); null before two. */
    synchronized @Nullable Rate rate() {
        if (samples.size() < 2) {
            return null;
        }
        long[] newest = samples.getLast();
        long[] base = null;
        for (long[] s : samples) {
            if (s[0] >= newest[0] - WINDOW_MILLIS && s[0] < newest[0]) {
                base = s;
                break;
            }
        }
        if (base == null) {
            return null;
        }
        double seconds = (newest[0] - base[0]) / 1000.0;
        return new Rate(Math.max(0, newest[1] - base[1]) / seconds, seconds);
    }
}
