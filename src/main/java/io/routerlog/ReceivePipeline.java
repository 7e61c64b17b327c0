package io.routerlog;

import io.netty.buffer.ByteBuf;
import io.routerlog.aggregate.LocalAggregator;
import io.routerlog.syslog.FrameSink;

/**
 * What one receive thread does with each frame: the syslog stage (and everything after it), plus the thread's
 * aggregator as the measure of back-pressure for stream sources.
 */
final class ReceivePipeline implements FrameSink {
    private final FrameSink syslog;
    private final LocalAggregator aggregator;

    ReceivePipeline(FrameSink syslog, LocalAggregator aggregator) {
        this.syslog = syslog;
        this.aggregator = aggregator;
    }

    @Override
    public void frame(ByteBuf buf, int index, int length) {
        syslog.frame(buf, index, length);
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
