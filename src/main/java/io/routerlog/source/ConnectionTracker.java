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
 * First handler of every syslog TCP connection: counts connections, remembers when each last delivered bytes (so
 * that a stop can wait for senders to go quiet), and closes a connection that fails, only that one. Its
 * {@link #errors} handler does the same for errors raised further down the pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(ConnectionTracker.class);
    private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("routerlog.lastRead");

    private final io.routerlog.stats.PipelineCounters counters;
    /** Last handler of a syslog TCP pipeline: logs and closes on errors raised by the handlers before it. */
    final ChannelHandler errors = new Errors();

    public ConnectionTracker(io.routerlog.stats.PipelineCounters counters) {
        this.counters = counters;
    }

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final ChannelGroup channels = new DefaultChannelGroup("syslog-tcp", GlobalEventExecutor.INSTANCE);

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open.incrementAndGet();
        accepted.increment();
        ctx.channel().attr(LAST_READ).set(System.nanoTime());
        channels.add(ctx.channel());
        LOG.debug("Syslog connection from {}", ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        LOG.debug("Syslog connection from {} closed", ctx.channel().remoteAddress());
        super.channelInactive(ctx);
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
