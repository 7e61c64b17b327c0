package io.routerlog.framing;

import io.netty.buffer.ByteBuf;

/**
 * Where the framing stage delivers each complete syslog message. One instance per receive thread.
 *
 * <p>The bytes are only valid during the call: the buffer still belongs to the framing stage, which releases it.
 */
public interface FrameSink {
    void frame(ByteBuf buf, int index, int length);
}
