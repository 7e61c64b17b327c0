package io.routerlog.framing;

import io.routerlog.stats.DropReason;
import io.routerlog.stats.LogThrottle;
import io.routerlog.stats.PipelineCounters;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The memory that the TCP connections together may hold in unfinished frames ({@code --max-buffered}). Each frame
 * is bounded by {@code --max-frame}, but many connections each holding most of one could still use up the direct
 * memory. Every {@link SyslogFrameDecoder} reports what its cumulation buffer holds after each read; when the sum
 * goes over the budget, the connection holding the most (not one paused by back-pressure, whose bytes are frames
 * waiting for routerlog) is reset and counted ({@code buffer_limit}), until the sum is within the budget again.
 * Thread-safe: decoders report from their own event loops.
 */
public final class BufferBudget {
    private static final Logger LOG = LogManager.getLogger(BufferBudget.class);

    private final long limit;
    private final PipelineCounters counters;
    private final AtomicLong held = new AtomicLong();
    private final Set<SyslogFrameDecoder> holders = ConcurrentHashMap.newKeySet();
    private final LogThrottle shedLog = LogThrottle.perMinute();

    /** @param limit bytes all connections together may hold */
    public BufferBudget(long limit, PipelineCounters counters) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        this.counters = counters;
    }

    /** Bytes held now by all connections. */
    public long held() {
        return held.get();
    }

    /** A decoder holds {@code bytes} now (0 when it closes). */
    void update(SyslogFrameDecoder d, long bytes) {
        long delta = bytes - d.budgeted.getAndSet(bytes);
        if (delta == 0) {
            return;
        }
        if (bytes > 0) {
            holders.add(d);
        } else {
            holders.remove(d);
        }
        if (held.addAndGet(delta) > limit && delta > 0) {
            shed();
        }
    }

    /** Resets the connections holding the most until the sum is within the budget (or none can be chosen). */
    private void shed() {
        while (held.get() > limit) {
            SyslogFrameDecoder victim = null;
            long most = 0;
            for (SyslogFrameDecoder d : holders) {
                long b = d.budgeted.get();
                if (b > most && !d.paused() && !d.shed.get()) {
                    most = b;
                    victim = d;
                }
            }
            if (victim == null) {
                return;
            }
            if (!victim.shed.compareAndSet(false, true)) {
                continue; // another thread took it
            }
            holders.remove(victim);
            held.addAndGet(-victim.budgeted.getAndSet(0));
            counters.dropped(DropReason.BUFFER_LIMIT);
            if (shedLog.permits()) {
                LOG.warn(
                        "Closed the syslog connection from {}: it held {} bytes of an unfinished message when "
                                + "all connections together held more than {} (--max-buffered; logged once a minute, "
                                + "counted in routerlog_syslog_dropped_total)",
                        victim.remoteAddress(),
                        most,
                        limit);
            }
            victim.closeFromAnyThread();
        }
    }
}
