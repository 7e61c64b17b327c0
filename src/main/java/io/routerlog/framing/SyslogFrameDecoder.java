package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.LogThrottle;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.syslog.FrameSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Splits a syslog TCP stream into messages. Each frame is recognised on its own, so framings can be mixed on one
 * connection:
 * <ul>
 *   <li>RFC 6587 octet counting, {@code LEN SP MSG}, when the frame starts with up to nine digits and a space;</li>
 *   <li>otherwise non-transparent framing: the message ends at the first {@code \n} or {@code \0}.</li>
 * </ul>
 * Line ends at the end of a frame ({@code \r}, {@code \n}, {@code \0}, as octet-counting senders include them)
 * are not part of the message, whichever framing carried it (see {@link Frames}).
 * A frame longer than {@code maxFrame} is counted and skipped up to the next delimiter ({@code \n} or {@code \0}),
 * also when it announced its length: a bogus length cannot swallow the rest of the stream, and after at most
 * {@code maxFrame} delimiters any garbage is behind. Empty frames ({@code \n\n}, {@code \r\n\0}) carry no
 * message and are skipped. At end of stream a last message without delimiter is still delivered; an octet-counted
 * frame cut short is counted as truncated.
 *
 * <p>What a read brings is copied once into an array of the receive thread's, and each frame is handed to the
 * {@link FrameSink} as a range of it, without further copies or slices.
 * When the sink says it is nearly full, decoding and reading pause until it has room (back-pressure); the last
 * frames of a closing connection are decoded regardless.
 *
 * <p>With a frame timeout, a frame must be complete within that time of the read that brought its first byte, or
 * the connection is reset and counted ({@code frame_timeout}); what it sent of the frame is dropped. A sender that
 * trickles a byte at a time therefore cannot hold a connection for longer than that, whatever the idle timeout.
 * Time paused for back-pressure does not count. The decoder also tells (from any thread) when its connection last
 * completed a frame and since when it holds an unfinished one, which the connection limits use to pick the
 * connection to close when a new one needs its place.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LogManager.getLogger(SyslogFrameDecoder.class);
    private static final LogThrottle TIMEOUT_LOG = LogThrottle.perMinute();

    /** How often (in frames) to ask the next stages whether they are nearly full. */
    private static final int OVERLOAD_CHECK_EVERY = 32;

    private static final int MAX_KEPT_WINDOW = 1 << 20;

    /** Each receive thread's copy of what a read brought (see {@link #decodeFrames}). */
    private static final FastThreadLocal<byte[]> WINDOW = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private static final int NEED_MORE = 0;
    private static final int CONSUMED = 1;
    private static final int NOT_OCTET_COUNTED = 2;

    private final int maxFrame;
    private final FrameSink sink;
    private final PipelineCounters counters;
    private final Transport transport;

    /** A frame must be complete within this time of its first byte; 0 for no limit. */
    private final long frameTimeoutNanos;

    /** True while skipping the rest of an oversized non-transparent frame up to its delimiter. */
    private boolean discarding;
    /** True while reading is paused for back-pressure. */
    private volatile boolean paused;

    private int framesSinceCheck;
    /** Frames finished (delivered, oversized or empty), to tell whether a read completed any. */
    private int framesDone;
    /** When the connection last completed a frame, or when the decoder was made (System.nanoTime). */
    private volatile long lastFrameNanos = System.nanoTime();
    /** When the read that brought the first byte of the unfinished frame came, or 0 when there is none. */
    private volatile long unfinishedSince;
    /** True once the connection is being closed for good: nothing more is decoded, its rest is dropped. */
    private boolean abandoned;

    /** Runs while a frame is unfinished and there is a frame timeout; null otherwise. */
    private @Nullable ScheduledFuture<?> frameTimer;
    /** The handler's context, null until it is added to a pipeline. */
    private volatile @Nullable ChannelHandlerContext context;
    /** The memory of all connections together, or null for no bound. */
    private @Nullable BufferBudget budget;
    /** What this decoder counts in the budget now; written by the budget. */
    final AtomicLong budgeted = new AtomicLong();
    /** True once the budget chose this connection to close. */
    final AtomicBoolean shed = new AtomicBoolean();

    public SyslogFrameDecoder(int maxFrame, FrameSink sink, PipelineCounters counters) {
        this(maxFrame, sink, counters, Transport.TCP);
    }

    /** @param transport what the frames are counted as ({@code tcp}, or {@code tls} behind a TLS handler) */
    public SyslogFrameDecoder(int maxFrame, FrameSink sink, PipelineCounters counters, Transport transport) {
        this(maxFrame, sink, counters, transport, Duration.ZERO);
    }

    /**
     * @param transport    what the frames are counted as ({@code tcp}, or {@code tls} behind a TLS handler)
     * @param frameTimeout how long a frame may take from its first byte to its end; zero for no limit
     */
    public SyslogFrameDecoder(
            int maxFrame, FrameSink sink, PipelineCounters counters, Transport transport, Duration frameTimeout) {
        if (maxFrame < 1) {
            throw new IllegalArgumentException("maxFrame must be positive: " + maxFrame);
        }
        this.maxFrame = maxFrame;
        this.sink = sink;
        this.counters = counters;
        this.transport = transport;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    /** Counts what this connection holds in unfinished frames against {@code budget}. */
    public SyslogFrameDecoder withBudget(BufferBudget budget) {
        this.budget = budget;
        return this;
    }

    /** The sender's address, for log lines. */
    Object remoteAddress() {
        ChannelHandlerContext ctx = context;
        return ctx == null ? "?" : ctx.channel().remoteAddress();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (frameTimer != null) {
            frameTimer.cancel(false);
            frameTimer = null;
        }
        if (budget != null) {
            budget.update(this, 0);
        }
        super.handlerRemoved0(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (abandoned) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!paused && decodeFrames(in)) {
            pause(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        int before = framesDone;
        super.channelRead(ctx, msg);
        afterRead(ctx, framesDone != before);
    }

    /** After each read: when a frame last completed, whether one is unfinished, and its timer. */
    private void afterRead(ChannelHandlerContext ctx, boolean completedFrames) {
        if (budget != null) {
            budget.update(this, abandoned ? 0 : internalBuffer().readableBytes()); // may close this connection
        }
        long now = System.nanoTime();
        if (completedFrames) {
            lastFrameNanos = now;
        }
        boolean unfinished =
                !abandoned && !paused && (discarding || internalBuffer().isReadable());
        if (!unfinished) {
            unfinishedSince = 0;
            return;
        }
        if (completedFrames || unfinishedSince == 0) {
            unfinishedSince = now;
        }
        if (frameTimeoutNanos > 0 && frameTimer == null) {
            frameTimer = ctx.executor()
                    .schedule(() -> checkFrame(ctx), frameTimeoutNanos - (now - unfinishedSince), TimeUnit.NANOSECONDS);
        }
    }

    /** The frame timer: resets the connection when its unfinished frame is older than the frame timeout. */
    private void checkFrame(ChannelHandlerContext ctx) {
        frameTimer = null;
        long since = unfinishedSince;
        if (abandoned || since == 0 || paused || !ctx.channel().isActive()) {
            return; // no unfinished frame now: the next one starts its own timer
        }
        long left = frameTimeoutNanos - (System.nanoTime() - since);
        if (left > 0) {
            frameTimer = ctx.executor().schedule(() -> checkFrame(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        counters.dropped(DropReason.FRAME_TIMEOUT);
        if (TIMEOUT_LOG.permits()) {
            LOG.warn(
                    "Closed the syslog connection from {}: a frame did not end within {} ms of its first byte "
                            + "(--frame-timeout; logged once a minute, counted in routerlog_syslog_dropped_total)",
                    ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos));
        }
        closeAbandoning(ctx);
    }

    /** Drops what the connection holds and resets it (SO_LINGER 0): nothing more from it is delivered. */
    private void closeAbandoning(ChannelHandlerContext ctx) {
        abandoned = true;
        discarding = false;
        unfinishedSince = 0;
        ByteBuf held = internalBuffer();
        held.skipBytes(held.readableBytes());
        try {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // not a socket (a test channel)
        }
        var unused = ctx.close(); // nothing to do when a close fails
    }

    /**
     * Closes the connection from any thread, as {@link #closeAbandoning}: what it holds is dropped, not delivered
     * as a last message.
     */
    public void closeFromAnyThread() {
        ChannelHandlerContext ctx = context;
        if (ctx == null) {
            return;
        }
        if (ctx.executor().inEventLoop()) {
            closeAbandoning(ctx);
        } else {
            ctx.executor().execute(() -> closeAbandoning(ctx));
        }
    }

    /** When the connection last completed a frame (System.nanoTime), or when it opened; any thread. */
    public long lastFrameNanos() {
        return lastFrameNanos;
    }

    /**
     * Since when (System.nanoTime) the connection holds an unfinished frame, 0 when it holds none or reading is
     * paused for back-pressure; any thread.
     */
    public long unfinishedSince() {
        return unfinishedSince;
    }

    /** True while reading is paused for back-pressure (the connection waits for routerlog, not the other way). */
    public boolean paused() {
        return paused;
    }

    /**
     * While paused, no read is asked for. {@link ByteToMessageDecoder} asks for the next read itself when auto-read
     * is off and the decoder produced no message, which is always so here (frames go to the sink, not down the
     * pipeline): the cumulation buffer would then grow with everything the sender sends until the direct memory
     * runs out.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    /**
     * Back-pressure: the stages after framing are nearly full, so stop decoding and reading; the sender's TCP
     * window fills instead of memory here. Decoding goes on with what is buffered once they have room.
     */
    private void pause(ChannelHandlerContext ctx) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
        sink.whenRelieved(() -> ctx.channel().eventLoop().execute(() -> {
            paused = false;
            if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
                ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
                ctx.read();
            }
        }));
    }

    /** Delivers the complete frames in {@code in}; true when it stopped early because the sink is nearly full. */
    private boolean decodeFrames(ByteBuf in) {
        if (!in.isReadable() || octetCountedFrameComing(in)) {
            return false;
        }
        // The readable bytes, copied once: frames are found and parsed in this copy rather than read through the
        // buffer's checked accessors and copied one by one. The array is the receive thread's, and the sink does
        // not decode another connection while it takes a frame.
        int base = in.readerIndex();
        byte[] w = window(in.readableBytes());
        in.getBytes(base, w, 0, in.readableBytes());
        while (in.isReadable()) {
            if (++framesSinceCheck >= OVERLOAD_CHECK_EVERY) {
                framesSinceCheck = 0;
                if (sink.overloaded()) {
                    return true;
                }
            }
            int start = in.readerIndex();
            int end = in.writerIndex();
            if (discarding) {
                int delim = Frames.delimiter(w, start - base, end - base);
                if (delim < 0) {
                    in.skipBytes(end - start);
                    return false;
                }
                in.readerIndex(base + delim + 1);
                discarding = false;
                framesDone++;
                continue;
            }
            if (Frames.isDigit(w[start - base])) {
                int r = octetCounted(in, w, base);
                if (r == NEED_MORE) {
                    return false;
                }
                if (r == CONSUMED) {
                    continue;
                }
            }
            int delim = Frames.delimiter(w, start - base, end - base);
            if (delim < 0) {
                if (end - start > maxFrame) {
                    oversized();
                    discarding = true;
                    in.skipBytes(end - start);
                }
                return false;
            }
            int length = Frames.withoutLineEnds(w, start - base, base + delim - start);
            in.readerIndex(base + delim + 1);
            if (length > maxFrame) {
                oversized();
            } else {
                deliver(w, start - base, length);
            }
        }
        return false;
    }

    /**
     * True when {@code in} starts with an octet-counted frame that has not all come yet: nothing to decode, and
     * nothing to copy (a sender that trickles a long frame would otherwise have it copied at every read).
     */
    private boolean octetCountedFrameComing(ByteBuf in) {
        int start = in.readerIndex();
        if (discarding || !Frames.isDigit(in.getByte(start))) {
            return false;
        }
        long header = Frames.octetCountHeader(in, start, in.writerIndex());
        return header == Frames.NEED_MORE
                || (header >= 0
                        && Frames.frameLength(header) <= maxFrame
                        && in.readableBytes() - Frames.headerLength(header) < Frames.frameLength(header));
    }

    /**
     * The receive thread's array for {@link #decodeFrames}, with room for {@code n} bytes; beyond
     * {@value #MAX_KEPT_WINDOW} bytes (a frame near a large {@code --max-frame}) one for this call only.
     */
    private static byte[] window(int n) {
        byte[] w = WINDOW.get();
        if (w.length < n) {
            // doubled up to the kept bound, so that a window grown to some size short of it is kept, not made anew
            w = new byte[Math.max(n, Math.min(w.length * 2, MAX_KEPT_WINDOW))];
            if (w.length > MAX_KEPT_WINDOW) {
                return w;
            }
            WINDOW.set(w);
        }
        return w;
    }

    /**
     * Handles a frame that starts with a digit at the reader index of {@code in}, whose readable bytes are in
     * {@code w} from {@code in}'s index {@code base}; says whether it was octet counted.
     */
    private int octetCounted(ByteBuf in, byte[] w, int base) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        long header = Frames.octetCountHeader(in, start, end);
        if (header == Frames.NEED_MORE) {
            return NEED_MORE;
        }
        if (header == Frames.NOT_OCTET_COUNTED) {
            return NOT_OCTET_COUNTED;
        }
        int headerLength = Frames.headerLength(header);
        long length = Frames.frameLength(header);
        if (length > maxFrame) {
            oversized();
            in.skipBytes(headerLength);
            discarding = true;
            return CONSUMED;
        }
        if (end - start - headerLength < length) {
            return NEED_MORE;
        }
        in.readerIndex(start + headerLength + (int) length);
        int off = start + headerLength - base;
        deliver(w, off, Frames.withoutLineEnds(w, off, (int) length));
        return CONSUMED;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (abandoned) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (paused || decodeFrames(in)) {
            // the stream ended while the next stages are full: finish it when they have room
            finishLater(ctx, in.readRetainedSlice(in.readableBytes()));
            return;
        }
        finish(in);
    }

    private void finishLater(ChannelHandlerContext ctx, ByteBuf rest) {
        sink.whenRelieved(() -> ctx.channel().eventLoop().execute(() -> {
            if (decodeFrames(rest)) {
                finishLater(ctx, rest);
                return;
            }
            try {
                finish(rest);
            } finally {
                rest.release();
            }
        }));
    }

    /** After the last complete frame of a stream: what is left is a last message without delimiter, or a cut one. */
    private void finish(ByteBuf in) {
        if (!in.isReadable() || discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int length = in.readableBytes();
        in.skipBytes(length);
        long header = Frames.octetCountHeader(in, start, start + length);
        if (header >= 0) {
            counters.message(transport);
            counters.dropped(DropReason.TRUNCATED_FRAME);
            return;
        }
        emit(in, start, length);
    }

    private void oversized() {
        framesDone++;
        counters.message(transport);
        counters.dropped(DropReason.FRAME_TOO_LARGE);
    }

    /** Hands on a frame without its trailing line ends. */
    private void emit(ByteBuf in, int index, int length) {
        deliver(in, index, Frames.withoutLineEnds(in, index, length));
    }

    /** Hands on a frame that has no line ends at its end; one that is empty carries no message. */
    private void deliver(ByteBuf in, int index, int length) {
        if (frameDone(length)) {
            sink.frame(in, index, length);
        }
    }

    /** {@link #deliver(ByteBuf, int, int)} from the copy {@link #decodeFrames} made. */
    private void deliver(byte[] w, int off, int length) {
        if (frameDone(length)) {
            sink.frame(w, off, length);
        }
    }

    /** Counts a frame that is done; true when it carries a message, which the sink then hears of. */
    private boolean frameDone(int length) {
        framesDone++;
        if (length == 0) {
            return false;
        }
        counters.message(transport);
        ChannelHandlerContext ctx = context;
        if (ctx != null) {
            sink.sender(ctx.channel().remoteAddress());
        }
        return true;
    }
}
