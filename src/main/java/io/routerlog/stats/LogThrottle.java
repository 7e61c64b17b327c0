package io.routerlog.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line of a kind through per interval, from any thread; the first one at once. Whatever happens more
 * often than that (refused connections, dropped frames) is counted in a metric, so the log says that it happens and
 * the metric how often, and a flood of bad input cannot become a flood of log lines.
 */
public final class LogThrottle {
    private static final long NEVER = Long.MIN_VALUE;

    private final long intervalNanos;
    private final AtomicLong last = new AtomicLong(NEVER);

    private LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** One line a minute: what the log lines it guards promise ("logged once a minute"). */
    public static LogThrottle perMinute() {
        return new LogThrottle(TimeUnit.MINUTES.toNanos(1));
    }

    /** True when a line may be logged now: the first call, and then the first call after each interval. */
    public boolean permits() {
        long now = System.nanoTime();
        long previous = last.get();
        if (previous != NEVER && now - previous < intervalNanos) {
            return false;
        }
        return last.compareAndSet(previous, now);
    }
}
