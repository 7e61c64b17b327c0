package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.syslog.FrameSink;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Frames a UDP datagram like a stream that ends with it, so a message reads the same over UDP and TCP:
 * <ul>
 *   <li>usually one message per datagram, with or without line ends after it (an empty datagram carries no
 *       message and is not counted);</li>
 *   <li>an RFC 6587 octet count before the message ({@code LEN SP <PRI>...}, as syslog-ng's {@code loggen -P} and
 *       some relays send over UDP) is honoured; a LEN beyond the datagram's end is a truncated frame;</li>
 *   <li>a {@code \n} or {@code \0} inside a message that is not octet counted ends it: a datagram holding several
 *       lines gives several messages (each counted, and dropped by reason if it is not syslog), and a NUL never
 *       reaches a message.</li>
 * </ul>
 * One instance per receive thread. It holds no state between datagrams and allocates nothing: the frames are
 * ranges of the buffer the datagram was read into, which stays the caller's.
 */
public final class DatagramFrames {
    private final int maxFrame;
    private final FrameSink sink;
    private final PipelineCounters counters;
    private @Nullable SocketAddress lastSender;

    public DatagramFrames(int maxFrame, FrameSink sink, PipelineCounters counters) {
        this.maxFrame = maxFrame;
        this.sink = sink;
        this.counters = counters;
    }

    /**
     * Frames the readable bytes of {@code content}, a datagram from {@code sender}; the sink hears of the sender
     * when it is not the same object as the previous datagram's.
     */
    public void datagram(ByteBuf content, SocketAddress sender) {
        if (sender != lastSender) {
            sink.sender(sender);
            lastSender = sender;
        }
        int p = content.readerIndex();
        int end = content.writerIndex();
        while (p < end) {
            long header = Frames.octetCountHeader(content, p, end);
            if (header >= 0) {
                int start = p + Frames.headerLength(header);
                long length = Frames.frameLength(header);
                if (length > end - start) {
                    counters.message(Transport.UDP);
                    counters.dropped(length > maxFrame ? DropReason.FRAME_TOO_LARGE : DropReason.TRUNCATED_FRAME);
                    return;
                }
                frame(content, start, (int) length);
                p = start + (int) length;
                continue;
            }
            int delim = Frames.delimiter(content, p, end);
            int frameEnd = delim < 0 ? end : delim;
            frame(content, p, frameEnd - p);
            p = frameEnd + 1;
        }
    }

    /** Hands on one frame without its trailing line ends; one that holds nothing else carries no message. */
    private void frame(ByteBuf content, int index, int length) {
        int n = Frames.withoutLineEnds(content, index, length);
        if (n == 0) {
            return;
        }
        counters.message(Transport.UDP);
        if (n > maxFrame) {
            counters.dropped(DropReason.FRAME_TOO_LARGE);
        } else {
            sink.frame(content, index, n);
        }
    }
}
