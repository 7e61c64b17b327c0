package io.routerlog.source;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Admits syslog TCP connections and watches them. {@link #admission} sits on each TCP listener and decides on
 * every accepted connection before it is registered with an event loop: one from a sender outside
 * {@code --allow-from}, or one over {@code --max-connections}, is closed at once with a reset (SO_LINGER 0), so the
 * sender's next write fails instead of being taken and thrown away, and counted. The tracker itself is the first
 * handler of every admitted connection: it remembers when each last delivered bytes (so that a stop can wait for
 * senders to go quiet), and closes a connection that fails, only that one. Its {@link #errors} handler does the
 * same for errors raised further down the pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(ConnectionTracker.class);
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("routerlog.lastRead");
    private static final long LOG_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final io.routerlog.stats.PipelineCounters counters;
    private final SenderFilter filter;
    private final int maxConnections;
    /** Last handler of a syslog TCP pipeline: logs and closes on errors raised by the handlers before it. */
    final ChannelHandler errors = new Errors();
    /** Handler of the TCP listeners (server channels): admits or refuses each accepted connection. */
    final ChannelHandler admission = new Admission();

    /**
     * @param filter         the senders allowed ({@code --allow-from})
     * @param maxConnections connections open at once, TCP and TLS together
     */
    public ConnectionTracker(io.routerlog.stats.PipelineCounters counters, SenderFilter filter, int maxConnections) {
        this.counters = counters;
        this.filter = filter;
        this.maxConnections = maxConnections;
    }

    /** Connections admitted and not closed yet; changed under {@code this}. */
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final ChannelGroup channels = new DefaultChannelGroup("syslog-tcp", GlobalEventExecutor.INSTANCE);
    private volatile long lastRefusalLogged;

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
        synchronized (this) {
            if (open.get() >= maxConnections) {
                counters.dropped(io.routerlog.stats.DropReason.TOO_MANY_CONNECTIONS);
                logRefusal(child, open.get() + " are open (--max-connections)");
                return false;
            }
            open.incrementAndGet();
        }
        accepted.increment();
        child.closeFuture().addListener(f -> {
            synchronized (this) {
                open.decrementAndGet();
            }
        });
        return true;
    }

    private void logRefusal(Channel child, String why) {
        long now = System.nanoTime();
        if (now - lastRefusalLogged > LOG_EVERY_NANOS || lastRefusalLogged == 0) {
            lastRefusalLogged = now;
            LOG.warn("Refused a syslog connection from {}: {} (logged once a minute; counted in "
                    + "routerlog_syslog_dropped_total)", child.remoteAddress(), why);
        }
    }

    /**
     * Closes a connection at once with a reset (SO_LINGER 0) rather than a FIN: a sender that already wrote gets an
     * error at its next write instead of having its data accepted by the kernel and dropped.
     */
    static void reset(Channel ch) {
        try {
            ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            LOG.debug("SO_LINGER on {}: {}", ch, e.toString());
        }
        if (ch.isRegistered()) {
            ch.close();
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
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            idleClosed.increment();
            LOG.debug("Closing idle syslog connection from {} (--idle-timeout)", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Connections closed because their sender went quiet for longer than the idle timeout. */
    public long idleClosed() {
        return idleClosed.sum();
    }

    private void closeAfter(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        if (root instanceof javax.net.ssl.SSLException) {
            counters.dropped(io.routerlog.stats.DropReason.TLS_HANDSHAKE_FAILED);
            LOG.warn("TLS with {} failed: {}", ctx.channel().remoteAddress(), root.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("Syslog connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("Closing syslog connection from {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** TCP connections open now. */
    public int open() {
        return open.get();
    }

    /** TCP connections accepted since start. */
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
