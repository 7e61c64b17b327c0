package io.routerlog.aggregate;

/**
 * When a part that need not write on every flush writes: every {@value #MILLIS} ms, and on the flush after {@link
 * #writeAllNext} (a flush someone waits for). Asked on the flush thread; {@link #writeAllNext} from any thread.
 */
final class WriteEvery {
    static final long MILLIS = 10_000;

    private long lastWriteMillis = Long.MIN_VALUE;
    private volatile boolean writeAll;

    /** Whether the part writes at {@code nowMillis}; when it does, a pending {@link #writeAllNext} is used up. */
    boolean due(long nowMillis) {
        if (!writeAll && lastWriteMillis != Long.MIN_VALUE && nowMillis - lastWriteMillis < MILLIS) {
            return false;
        }
        writeAll = false;
        return true;
    }

    /** The part wrote at {@code nowMillis}: the next write is due {@value #MILLIS} ms later. */
    void wrote(long nowMillis) {
        lastWriteMillis = nowMillis;
    }

    /** The next flush writes whatever is pending. */
    void writeAllNext() {
        writeAll = true;
    }
}
