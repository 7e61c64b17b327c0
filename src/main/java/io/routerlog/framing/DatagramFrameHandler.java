package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;

/**
 * One syslog message per UDP datagram. One trailing {@code \n} or {@code \0}, which some senders append, is not
 * part of the message. The datagram is released after the sink has seen it.
 */
public final class DatagramFrameHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final int maxFrame;
    private final FrameSink sink;
    private final PipelineCounters counters;

    public DatagramFrameHandler(int maxFrame, FrameSink sink, PipelineCounters counters) {
        super(DatagramPacket.class, true);
        this.maxFrame = maxFrame;
        this.sink = sink;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int index = content.readerIndex();
        int length = content.readableBytes();
        counters.message(Transport.UDP);
        if (length > 0) {
            byte last = content.getByte(index + length - 1);
            if (last == '\n' || last == 0) {
                length--;
            }
        }
        if (length > maxFrame) {
            counters.dropped(DropReason.FRAME_TOO_LARGE);
            return;
        }
        sink.frame(content, index, length);
    }
}
