package io.routerlog.source;

import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Accepts syslog only from the senders in {@code --allow-from}. A datagram from anyone else is dropped unread, a
 * TCP connection reset at once (see {@link ConnectionTracker}); both are counted ({@code not_allowed}) and logged
 * once a minute per sender. Thread-safe: every receive thread asks the same filter.
 */
public final class SenderFilter {
    private static final Logger LOG = LogManager.getLogger(SenderFilter.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AddressRanges allowed;
    private final PipelineCounters counters;
    private final ConcurrentHashMap<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();

    public SenderFilter(AddressRanges allowed, PipelineCounters counters) {
        this.allowed = allowed;
        this.counters = counters;
    }

    /** True when a TCP connection from {@code remote} may stay; counts and logs when not. */
    boolean acceptConnection(SocketAddress remote) {
        if (allows(remote)) {
            return true;
        }
        counters.dropped(DropReason.NOT_ALLOWED);
        refused(remote, "tcp");
        return false;
    }

    /**
     * True when a datagram from {@code sender} may be read; counts (as a message dropped {@code not_allowed}) and
     * logs when not.
     */
    boolean acceptDatagram(SocketAddress sender) {
        if (allows(sender)) {
            return true;
        }
        counters.message(Transport.UDP);
        counters.dropped(DropReason.NOT_ALLOWED);
        refused(sender, "udp");
        return false;
    }

    boolean allowsAll() {
        return allowed.allowsAll();
    }

    private boolean allows(SocketAddress remote) {
        return allowed.allowsAll()
                || (remote instanceof InetSocketAddress a
                        && a.getAddress() != null
                        && allowed.contains(a.getAddress()));
    }

    private void refused(SocketAddress remote, String transport) {
        if (!(remote instanceof InetSocketAddress a) || a.getAddress() == null) {
            return;
        }
        long now = System.nanoTime();
        Long last = lastLogged.get(a.getAddress());
        if (last == null || now - last > LOG_EVERY_NANOS) {
            if (lastLogged.size() > 1024) {
                lastLogged.clear();
            }
            lastLogged.put(a.getAddress(), now);
            LOG.warn(
                    "Refused syslog over {} from {}: not in --allow-from ({})",
                    transport,
                    a.getAddress().getHostAddress(),
                    allowed);
        }
    }
}
