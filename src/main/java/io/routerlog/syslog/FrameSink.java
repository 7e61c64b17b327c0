package io.routerlog.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.SocketAddress;

/**
 * Where the framing stage delivers each complete syslog message. One instance per receive thread. The syslog stage
 * owns this interface because it is what that stage receives through: framing imports it, so imports follow the
 * data flow and framing never needs to know what parses its frames.
 *
 * <p>The bytes are only valid during the call: the buffer still belongs to the framing stage, which releases it.
 */
public interface FrameSink {
    void frame(ByteBuf buf, int index, int length);

    /**
     * A frame the framing stage copied into an array of its own: {@code bytes[off, off+length)}, which the sink may
     * read and change during the call. By default it is handed on as a buffer.
     */
    default void frame(byte[] bytes, int off, int length) {
        frame(Unpooled.wrappedBuffer(bytes, off, length), 0, length);
    }

    /**
     * The address the next frames come from (a datagram's sender, a connection's peer). Called before the frames it
     * applies to, each time it may have changed; a sink compares it with the previous one at little cost.
     */
    default void sender(SocketAddress sender) {}

    /**
     * True when the stages after framing are close to full and a stream source should stop reading until
     * {@link #whenRelieved} calls back; a datagram source cannot wait and reads on.
     */
    default boolean overloaded() {
        return false;
    }

    /** Runs {@code action} (on any thread) once the stages after framing have room again. */
    default void whenRelieved(Runnable action) {
        action.run();
    }
}
