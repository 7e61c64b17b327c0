package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import java.util.List;

/**
 * Splits a syslog TCP stream into messages. Each frame is recognised on its own, so framings can be mixed on one
 * connection:
 * <ul>
 *   <li>RFC 6587 octet counting, {@code LEN SP MSG}, when the frame starts with a non-zero digit followed by up to
 *       nine digits and a space;</li>
 *   <li>otherwise non-transparent framing: the message ends at the first {@code \n} (an {@code \r} before it is
 *       dropped) or {@code \0}.</li>
 * </ul>
 * A frame longer than {@code maxFrame} is counted and skipped to its end (its announced length, or the next
 * delimiter), and the frames after it are read normally. Empty frames ({@code \n\n}, {@code \r\n\0}) carry no
 * message and are skipped. At end of stream a last message without delimiter is still delivered; an octet-counted
 * frame cut short is counted as truncated.
 *
 * <p>Frames are handed to the {@link FrameSink} as a range of the cumulation buffer, without copies or slices.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
    /** Up to 999,999,999: more digits than this cannot be a frame length. */
    private static final int MAX_LENGTH_DIGITS = 9;
    private static final ByteProcessor NOT_DELIMITER = b -> b != '\n' && b != 0;

    private static final int NEED_MORE = 0;
    private static final int CONSUMED = 1;
    private static final int NOT_OCTET_COUNTED = 2;

    private final int maxFrame;
    private final FrameSink sink;
    private final PipelineCounters counters;

    /** Bytes still to skip of an oversized octet-counted frame. */
    private long skipRemaining;
    /** True while skipping the rest of an oversized non-transparent frame up to its delimiter. */
    private boolean discarding;

    public SyslogFrameDecoder(int maxFrame, FrameSink sink, PipelineCounters counters) {
        if (maxFrame < 1) {
            throw new IllegalArgumentException("maxFrame must be positive: " + maxFrame);
        }
        this.maxFrame = maxFrame;
        this.sink = sink;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (skipRemaining > 0) {
                int n = (int) Math.min(skipRemaining, in.readableBytes());
                in.skipBytes(n);
                skipRemaining -= n;
                continue;
            }
            int start = in.readerIndex();
            int end = in.writerIndex();
            if (discarding) {
                int delim = in.forEachByte(start, end - start, NOT_DELIMITER);
                if (delim < 0) {
                    in.skipBytes(end - start);
                    return;
                }
                in.readerIndex(delim + 1);
                discarding = false;
                continue;
            }
            byte first = in.getByte(start);
            if (first >= '1' && first <= '9') {
                int r = octetCounted(in, start, end);
                if (r == NEED_MORE) {
                    return;
                }
                if (r == CONSUMED) {
                    continue;
                }
            }
            int delim = in.forEachByte(start, end - start, NOT_DELIMITER);
            if (delim < 0) {
                if (end - start > maxFrame) {
                    oversized();
                    discarding = true;
                    in.skipBytes(end - start);
                }
                return;
            }
            int length = delim - start;
            if (length > 0 && in.getByte(delim) == '\n' && in.getByte(delim - 1) == '\r') {
                length--;
            }
            in.readerIndex(delim + 1);
            if (length > maxFrame) {
                oversized();
            } else if (length > 0) {
                emit(in, start, length);
            }
        }
    }

    /** Handles a frame that starts with a digit; says whether it was octet counted. */
    private int octetCounted(ByteBuf in, int start, int end) {
        int i = start;
        long length = 0;
        while (i < end && i - start <= MAX_LENGTH_DIGITS) {
            byte c = in.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            length = length * 10 + (c - '0');
            i++;
        }
        int digits = i - start;
        if (digits > MAX_LENGTH_DIGITS) {
            return NOT_OCTET_COUNTED;
        }
        if (i == end) {
            return NEED_MORE;
        }
        if (in.getByte(i) != ' ') {
            return NOT_OCTET_COUNTED;
        }
        int header = digits + 1;
        if (length > maxFrame) {
            oversized();
            in.skipBytes(header);
            skipRemaining = length;
            return CONSUMED;
        }
        if (end - start - header < length) {
            return NEED_MORE;
        }
        in.readerIndex(start + header + (int) length);
        emit(in, start + header, (int) length);
        return CONSUMED;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (!in.isReadable() || skipRemaining > 0 || discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int length = in.readableBytes();
        in.skipBytes(length);
        if (hasOctetCountHeader(in, start, start + length)) {
            counters.message(Transport.TCP);
            counters.dropped(DropReason.TRUNCATED_FRAME);
            return;
        }
        if (in.getByte(start + length - 1) == '\r') {
            length--;
        }
        if (length > 0) {
            emit(in, start, length);
        }
    }

    private static boolean hasOctetCountHeader(ByteBuf in, int start, int end) {
        int i = start;
        while (i < end && in.getByte(i) >= '0' && in.getByte(i) <= '9') {
            i++;
        }
        return i > start && i < end && in.getByte(i) == ' ' && in.getByte(start) != '0';
    }

    private void oversized() {
        counters.message(Transport.TCP);
        counters.dropped(DropReason.FRAME_TOO_LARGE);
    }

    private void emit(ByteBuf in, int index, int length) {
        counters.message(Transport.TCP);
        sink.frame(in, index, length);
    }
}
