package io.routerlog.source;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.routerlog.export.ConnectionStats;
import io.routerlog.framing.SyslogFrameDecoder;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.LogThrottle;
import io.routerlog.stats.PipelineCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Admits syslog TCP connections and watches them. {@link #admission} sits on each TCP listener and decides on
 * every accepted connection before it is registered with an event loop, against three limits:
 * <ul>
 *   <li>{@code --allow-from}: others are refused ({@code not_allowed});</li>
 *   <li>{@code --max-connections-per-sender}: connections open from one address;</li>
 *   <li>{@code --max-connections}: connections open at once, TCP and TLS together.</li>
 * </ul>
 * At either connection limit, the idle or slow connection that has gone longest without completing a frame (at
 * least the eviction time, {@code --frame-timeout}; one holding an unfinished frame first) is closed to make room
 * ({@code connection_evicted}): from the same sender at its limit, from any at the global one. Only when there is
 * none is the new connection refused ({@code too_many_from_sender}, {@code too_many_connections}). A connection
 * paused by routerlog's back-pressure is never chosen. Refused and evicted connections are closed with a reset
 * (SO_LINGER 0), so that their sender's next write fails instead of being taken and thrown away.
 *
 * <p>The tracker itself is the first handler of every admitted connection: it remembers when each last delivered
 * bytes (so that a stop can wait for senders to go quiet), and closes a connection that fails, only that one. Its
 * {@link #errors} handler does the same for errors raised further down the pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter implements ConnectionStats {
    private static final Logger LOG = LogManager.getLogger(ConnectionTracker.class);
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("routerlog.lastRead");

    private static final AttributeKey<Conn> CONN = AttributeKey.valueOf("routerlog.connection");

    private final PipelineCounters counters;
    private final SenderFilter filter;
    private final int maxConnections;
    private final int maxPerSender;
    private final long evictableAfterNanos;
    /** Last handler of a syslog TCP pipeline: logs and closes on errors raised by the handlers before it. */
    final ChannelHandler errors = new Errors();
    /** Handler of the TCP listeners (server channels): admits or refuses each accepted connection. */
    final ChannelHandler admission = new Admission();

    /**
     * @param filter         the senders allowed ({@code --allow-from})
     * @param maxConnections connections open at once, TCP and TLS together
     * @param maxPerSender   connections open at once from one address
     * @param evictableAfter a connection that completed no frame for this long may be closed for a new one
     */
    public ConnectionTracker(
            PipelineCounters counters,
            SenderFilter filter,
            int maxConnections,
            int maxPerSender,
            Duration evictableAfter) {
        this.counters = counters;
        this.filter = filter;
        this.maxConnections = maxConnections;
        this.maxPerSender = maxPerSender;
        this.evictableAfterNanos = evictableAfter.toNanos();
    }

    /** An admitted connection, from its admission until it closes or is evicted. */
    private static final class Conn {
        final Channel channel;
        /** The sender's address, null when the channel has no IP address. */
        final @Nullable InetAddress sender;

        final long admittedNanos = System.nanoTime();
        /** Its frame decoder, once the connection is set up. */
        volatile @Nullable SyslogFrameDecoder decoder;

        Conn(Channel channel, @Nullable InetAddress sender) {
            this.channel = channel;
            this.sender = sender;
        }
    }

    /** Connections admitted and not closed or evicted yet, oldest first; under {@code this}. */
    private final Set<Conn> admitted = new LinkedHashSet<>();
    /** Connections in {@link #admitted} per sender address; under {@code this}. */
    private final Map<InetAddress, Integer> perSender = new HashMap<>();
    /** The size of {@link #admitted}, readable without the lock. */
    private final AtomicInteger open = new AtomicInteger();

    private final LongAdder accepted = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final ChannelGroup channels = new DefaultChannelGroup("syslog-tcp", GlobalEventExecutor.INSTANCE);
    private final LogThrottle refusalLog = LogThrottle.perMinute();
    private final LogThrottle evictionLog = LogThrottle.perMinute();
    private final LogThrottle tlsFailureLog = LogThrottle.perMinute();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().attr(LAST_READ).set(System.nanoTime());
        channels.add(ctx.channel());
        LOG.debug("Syslog connection from {}", ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        LOG.debug("Syslog connection from {} closed", ctx.channel().remoteAddress());
        super.channelInactive(ctx);
    }

    /**
     * Decides on an accepted connection, on the listener's event loop, before anything is read from it: true when
     * it may stay (it then counts as open until it closes).
     */
    private boolean admit(Channel child) {
        if (!filter.acceptConnection(child.remoteAddress())) {
            return false;
        }
        InetAddress sender = child.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        Conn conn = new Conn(child, sender);
        Conn evicted = null;
        Conn evictedToo = null;
        synchronized (this) {
            long now = System.nanoTime();
            if (sender != null && perSender.getOrDefault(sender, 0) >= maxPerSender) {
                evicted = victim(now, sender);
                if (evicted == null) {
                    counters.dropped(DropReason.TOO_MANY_FROM_SENDER);
                    logRefusal(
                            child,
                            "it has " + maxPerSender + " open, none idle or slow " + "(--max-connections-per-sender)");
                    return false;
                }
                forget(evicted);
            }
            if (admitted.size() >= maxConnections) {
                evictedToo = victim(now, null);
                if (evictedToo == null) {
                    if (evicted != null) {
                        remember(evicted); // not closed after all: the new one is refused
                    }
                    counters.dropped(DropReason.TOO_MANY_CONNECTIONS);
                    logRefusal(child, admitted.size() + " are open, none idle or slow (--max-connections)");
                    return false;
                }
                forget(evictedToo);
            }
            remember(conn);
        }
        evict(evicted, child);
        evict(evictedToo, child);
        accepted.increment();
        child.attr(CONN).set(conn);
        child.closeFuture().addListener(f -> {
            synchronized (this) {
                if (admitted.contains(conn)) {
                    forget(conn);
                }
            }
        });
        return true;
    }

    /** Counts a connection as open; under {@code this}. */
    private void remember(Conn c) {
        admitted.add(c);
        if (c.sender != null) {
            perSender.merge(c.sender, 1, Integer::sum);
        }
        open.set(admitted.size());
    }

    /** No longer counts a connection as open; under {@code this}. */
    private void forget(Conn c) {
        admitted.remove(c);
        if (c.sender != null) {
            perSender.computeIfPresent(c.sender, (k, n) -> n <= 1 ? null : n - 1);
        }
        open.set(admitted.size());
    }

    /**
     * The connection to close for a new one (from {@code sender} only, when given), or null: among those that
     * completed no frame for the eviction time and are not paused by back-pressure, one holding an unfinished
     * frame before one that is quiet, then the one that went longest without completing a frame. Under
     * {@code this}.
     */
    private @Nullable Conn victim(long now, @Nullable InetAddress sender) {
        Conn best = null;
        boolean bestSlow = false;
        long bestAge = -1;
        for (Conn c : admitted) {
            if (sender != null && !sender.equals(c.sender)) {
                continue;
            }
            SyslogFrameDecoder d = c.decoder;
            if (d != null && d.paused()) {
                continue;
            }
            long last = d == null ? c.admittedNanos : Math.max(c.admittedNanos, d.lastFrameNanos());
            long age = now - last;
            if (age < evictableAfterNanos) {
                continue;
            }
            boolean slow = d != null && d.unfinishedSince() != 0;
            if (best == null || (slow && !bestSlow) || (slow == bestSlow && age > bestAge)) {
                best = c;
                bestSlow = slow;
                bestAge = age;
            }
        }
        return best;
    }

    /** Closes an evicted connection with a reset, dropping what it holds; counts and logs it. */
    private void evict(@Nullable Conn c, Channel forWhom) {
        if (c == null) {
            return;
        }
        counters.dropped(DropReason.CONNECTION_EVICTED);
        if (evictionLog.permits()) {
            LOG.warn(
                    "Closed the idle or slow syslog connection from {} to make room for {} (connection limits; "
                            + "logged once a minute, counted in routerlog_syslog_dropped_total)",
                    c.channel.remoteAddress(),
                    forWhom.remoteAddress());
        }
        SyslogFrameDecoder d = c.decoder;
        if (d != null) {
            d.closeFromAnyThread(); // drops what it holds and resets the connection
        } else {
            reset(c.channel);
        }
    }

    /** Tells the tracker the frame decoder of a connection it admitted (when the connection is set up). */
    void watch(Channel ch, SyslogFrameDecoder decoder) {
        Conn c = ch.attr(CONN).get();
        if (c != null) {
            c.decoder = decoder;
        }
    }

    private void logRefusal(Channel child, String why) {
        if (refusalLog.permits()) {
            LOG.warn(
                    "Refused a syslog connection from {}: {} (logged once a minute; counted in "
                            + "routerlog_syslog_dropped_total)",
                    child.remoteAddress(),
                    why);
        }
    }

    /**
     * Closes a connection at once with a reset (SO_LINGER 0) rather than a FIN: a sender that already wrote gets an
     * error at its next write instead of having its data accepted by the kernel and dropped.
     */
    static void reset(Channel ch) {
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            LOG.debug("SO_LINGER on {}: {}", ch, e.toString());
        }
        if (ch.isRegistered()) {
            var unused = ch.close(); // nothing to do when a close fails
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    @ChannelHandler.Sharable
    private final class Admission extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            if (admit(child)) {
                ctx.fireChannelRead(child);
            } else {
                reset(child);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.channel().attr(LAST_READ).set(System.nanoTime());
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeAfter(ctx, cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            idleClosed.increment();
            LOG.debug(
                    "Closing idle syslog connection from {} (--idle-timeout)",
                    ctx.channel().remoteAddress());
            var unused = ctx.close(); // nothing to do when a close fails
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Connections closed because their sender went quiet for longer than the idle timeout. */
    public long idleClosed() {
        return idleClosed.sum();
    }

    private void closeAfter(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SSLException) {
            counters.dropped(DropReason.TLS_HANDSHAKE_FAILED);
            if (tlsFailureLog.permits()) {
                LOG.warn(
                        "TLS with {} failed: {} (logged once a minute; counted in routerlog_syslog_dropped_total)",
                        ctx.channel().remoteAddress(),
                        root.getMessage());
            }
        } else if (cause instanceof IOException) {
            LOG.debug("Syslog connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn(
                    "Closing syslog connection from {} after an error",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        var unused = ctx.close(); // nothing to do when a close fails
    }

    /** TCP connections open now. */
    @Override
    public int open() {
        return open.get();
    }

    /** TCP connections accepted since start. */
    @Override
    public long accepted() {
        return accepted.sum();
    }

    /** True when no open connection delivered bytes within the last {@code quietNanos}. */
    boolean allQuietFor(long quietNanos) {
        long now = System.nanoTime();
        for (Channel c : channels) {
            Long last = c.attr(LAST_READ).get();
            if (c.isActive() && last != null && now - last < quietNanos) {
                return false;
            }
        }
        return true;
    }

    /** Closes every open connection and waits for that. */
    void closeAll() {
        channels.close().awaitUninterruptibly();
    }

    @ChannelHandler.Sharable
    private final class Errors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeAfter(ctx, cause);
        }
    }
}
