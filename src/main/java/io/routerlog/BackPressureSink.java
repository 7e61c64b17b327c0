package io.routerlog;

import io.netty.buffer.ByteBuf;
import io.routerlog.aggregate.LocalAggregator;
import io.routerlog.syslog.FrameSink;
import java.net.SocketAddress;

/**
 * A frame sink that passes every frame on unchanged and measures back-pressure by the receive thread's
 * aggregator: a stream source stops reading while the aggregator's batch is nearly full, and reads again once the
 * flusher has taken it.
 */
final class BackPressureSink implements FrameSink {
    private final FrameSink next;
    private final LocalAggregator aggregator;

    BackPressureSink(FrameSink next, LocalAggregator aggregator) {
        this.next = next;
        this.aggregator = aggregator;
    }

    @Override
    public void frame(ByteBuf buf, int index, int length) {
        next.frame(buf, index, length);
    }

    @Override
    public void frame(byte[] bytes, int off, int length) {
        next.frame(bytes, off, length);
    }

    @Override
    public void sender(SocketAddress sender) {
        next.sender(sender);
    }

    @Override
    public boolean overloaded() {
        return aggregator.nearlyFull();
    }

    @Override
    public void whenRelieved(Runnable action) {
        aggregator.whenTaken(action);
    }
}
