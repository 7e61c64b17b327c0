package io.routerlog.detect;

import java.time.Duration;
import java.util.List;

/**
 * How tunnels nobody configured are found.
 *
 * @param window    how far back a domain's queries count towards its score
 * @param threshold the score from which a domain is a suspect
 * @param allow     domains the user accepts: never suspects, nor measured (lower case, no final dot); the
 *                  lookup services of {@link AllowList#KNOWN_LOOKUPS} come on top
 */
public record DetectSettings(Duration window, double threshold, List<String> allow) {
    /** The window is kept in this many buckets, so it slides by a sixth. */
    public static final int BUCKETS = 6;

    public DetectSettings {
        allow = List.copyOf(allow);
    }

    /** Defaults: a one-hour window, {@link TunnelScore#DEFAULT_THRESHOLD}, nothing allowed beyond the known lookups. */
    public static DetectSettings defaults() {
        return new DetectSettings(Duration.ofHours(1), TunnelScore.DEFAULT_THRESHOLD, List.of());
    }

    /** The length of one bucket of the window. */
    public long bucketMillis() {
        return Math.max(1000, window.toMillis() / BUCKETS);
    }

    /** The start of the bucket {@code millis} falls into. */
    public long bucketOf(long millis) {
        return millis - Math.floorMod(millis, bucketMillis());
    }

    /**
     * The first bucket a score at {@code nowMillis} counts: the window's worth of buckets, the current one
     * included.
     */
    public long firstBucket(long nowMillis) {
        return bucketOf(nowMillis) - (BUCKETS - 1L) * bucketMillis();
    }

    public AllowList allowList() {
        return new AllowList(allow);
    }
}
