package io.routerlog.source;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Counts syslog TCP connections and ends the pipeline: a connection that fails is logged and closed, and only
 * that connection.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(ConnectionTracker.class);

    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open.incrementAndGet();
        accepted.increment();
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
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
}
