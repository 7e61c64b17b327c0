package io.routerlog.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.syslog.FrameSink;
import io.routerlog.testing.NettyLeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class SyslogFrameDecoderTest {
    private static final int MAX = 64 * 1024;

    private final PipelineCounters counters = new PipelineCounters();
    private RecordingFrameSink sink = new RecordingFrameSink();
    private final List<ByteBuf> written = new ArrayList<>();

    private static String octet(String msg) {
        return msg.getBytes(StandardCharsets.ISO_8859_1).length + " " + msg;
    }

    private EmbeddedChannel channel(int maxFrame) {
        return new EmbeddedChannel(new SyslogFrameDecoder(maxFrame, sink, counters));
    }

    private void write(EmbeddedChannel ch, String... parts) {
        for (String p : parts) {
            byte[] bytes = p.getBytes(StandardCharsets.ISO_8859_1);
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
            b.writeBytes(bytes);
            written.add(b);
            ch.writeInbound(b);
        }
    }

    /** Sends {@code parts} as separate reads on a new connection, closes it, returns the frames. */
    private List<String> frames(int maxFrame, String... parts) {
        sink = new RecordingFrameSink();
        EmbeddedChannel ch = channel(maxFrame);
        write(ch, parts);
        ch.finish();
        return sink.frames;
    }

    @AfterEach
    void everyBufferReleased() {
        for (ByteBuf b : written) {
            assertThat(b.refCnt())
                    .as("buffer passed to the decoder was released")
                    .isZero();
        }
    }

    /**
     * The connections of one receive thread share the array each read is copied into: frames cut across reads of
     * two connections, taken in turns, and a sink that changes each frame where it lies, still give every frame
     * whole and unchanged by the others.
     */
    @Test
    void connectionsTakenInTurnsKeepTheirFrames() {
        List<String> seen = new ArrayList<>();
        FrameSink scribbler = new FrameSink() {
            @Override
            public void frame(ByteBuf buf, int index, int length) {
                throw new AssertionError("the decoder hands on frames from its array");
            }

            @Override
            public void frame(byte[] bytes, int off, int length) {
                seen.add(new String(bytes, off, length, StandardCharsets.ISO_8859_1));
                Arrays.fill(bytes, off, off + length, (byte) 'X');
            }
        };
        EmbeddedChannel a = new EmbeddedChannel(new SyslogFrameDecoder(MAX, scribbler, counters));
        EmbeddedChannel b = new EmbeddedChannel(new SyslogFrameDecoder(MAX, scribbler, counters));
        write(a, "<30>a1 first\n<30>a2 sec");
        write(b, "<30>b1 fir");
        write(a, "ond\n" + octet("<30>a3 counted") + "<30>a4");
        write(b, "st\n<30>b2\n");
        write(a, " last\n");
        a.finish();
        b.finish();

        assertThat(seen)
                .containsExactly(
                        "<30>a1 first", "<30>a2 second", "<30>a3 counted", "<30>b1 first", "<30>b2", "<30>a4 last");
    }

    @Test
    void newlineTerminatedFrames() {
        assertThat(frames(MAX, "<30>one\n<30>two\n")).containsExactly("<30>one", "<30>two");
        assertThat(counters.messageCount(Transport.TCP)).isEqualTo(2);
    }

    @Test
    void nulTerminatedFramesAsLogdSendsWithTrailerNull() {
        assertThat(frames(MAX, "<30>one\0<30>two\0")).containsExactly("<30>one", "<30>two");
    }

    @Test
    void carriageReturnBeforeNewlineIsNotPartOfTheMessage() {
        assertThat(frames(MAX, "<30>one\r\n<30>two\r\n")).containsExactly("<30>one", "<30>two");
    }

    @Test
    void octetCountedFrames() {
        assertThat(frames(MAX, octet("<30>hello world"))).containsExactly("<30>hello world");
    }

    @Test
    void backToBackOctetCountedFramesInOneReadAreAllDelivered() {
        assertThat(frames(MAX, octet("<30>a") + octet("<30>bb") + octet("<30>ccc")))
                .containsExactly("<30>a", "<30>bb", "<30>ccc");
    }

    @Test
    void octetCountedFrameMayContainNewlinesAndNul() {
        assertThat(frames(MAX, octet("<30>line one\nline two\0end") + "<30>next\n"))
                .containsExactly("<30>line one\nline two\0end", "<30>next");
    }

    @Test
    void octetCountedFrameFollowedByNewlineLeavesNoExtraFrame() {
        assertThat(frames(MAX, octet("<30>a") + "\n" + octet("<30>b") + "\n")).containsExactly("<30>a", "<30>b");
        assertThat(counters.messageCount(Transport.TCP)).isEqualTo(2);
    }

    @Test
    void lineEndsCountedInsideAnOctetCountedFrameAreNotPartOfTheMessage() {
        // syslog-ng's syslog() driver and rsyslog's octet-counted omfwd count the newline that ends the message
        assertThat(frames(
                        MAX,
                        octet("<30>a from 10.3.0.1\n")
                                + octet("<30>b is NXDOMAIN\r\n")
                                + octet("<30>c\0")
                                + octet("\n")))
                .containsExactly("<30>a from 10.3.0.1", "<30>b is NXDOMAIN", "<30>c");
        assertThat(counters.messageCount(Transport.TCP))
                .as("a frame of line ends alone carries no message")
                .isEqualTo(3);
    }

    @Test
    void aMessageReadsTheSameWhicheverFramingCarriedIt() {
        String m = "<30>Jan  5 12:34:56 OpenWrt dnsmasq[1]: query[A] x.test from 10.3.0.1";
        assertThat(frames(MAX, m + "\n", m + "\r\n", m + "\0", octet(m), octet(m + "\n"), octet(m + "\r\n")))
                .containsExactly(m, m, m, m, m, m);
    }

    private static final String MIXED = octet("<30>1 2026-11-22T01:59:45Z vm dnsmasq 1 - - query[A] a.test from ::1")
            + "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] b.test from 10.0.0.2\n"
            + "<30>Nov 22 01:59:48 dnsmasq[1]: query[AAAA] c.test from 10.0.0.3\0"
            + octet("<30>d")
            + "<30>e\r\n"
            + octet("<30>f");

    private static final List<String> MIXED_FRAMES = List.of(
            "<30>1 2026-11-22T01:59:45Z vm dnsmasq 1 - - query[A] a.test from ::1",
            "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] b.test from 10.0.0.2",
            "<30>Nov 22 01:59:48 dnsmasq[1]: query[AAAA] c.test from 10.0.0.3",
            "<30>d",
            "<30>e",
            "<30>f");

    @Test
    void framingsMixedOnOneConnection() {
        assertThat(frames(MAX, MIXED)).containsExactlyElementsOf(MIXED_FRAMES);
    }

    @Test
    void aStreamSplitAtEveryByteGivesTheSameFrames() {
        for (int i = 1; i < MIXED.length(); i++) {
            assertThat(frames(MAX, MIXED.substring(0, i), MIXED.substring(i)))
                    .as("split at %d", i)
                    .containsExactlyElementsOf(MIXED_FRAMES);
        }
    }

    @Test
    void aStreamSplitTwiceAtEveryPairOfPointsGivesTheSameFrames() {
        String s = octet("<30>ab") + "<30>c\n" + octet("<30>d") + "<30>e\0";
        List<String> expected = List.of("<30>ab", "<30>c", "<30>d", "<30>e");
        for (int i = 1; i < s.length(); i++) {
            for (int j = i + 1; j < s.length(); j++) {
                assertThat(frames(MAX, s.substring(0, i), s.substring(i, j), s.substring(j)))
                        .as("split at %d and %d", i, j)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aStreamFedByteByByteGivesTheSameFrames() {
        String[] bytes = MIXED.split("");
        assertThat(frames(MAX, bytes)).containsExactlyElementsOf(MIXED_FRAMES);
    }

    @Test
    void oversizedNewlineFrameIsSkippedAndCountedAndTheNextFrameKept() {
        assertThat(frames(16, "<30>" + "x".repeat(40) + "\n<30>ok\n")).containsExactly("<30>ok");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
        assertThat(counters.messageCount(Transport.TCP)).isEqualTo(2);
    }

    @Test
    void oversizedFrameSpreadOverManyReadsIsCountedOnce() {
        assertThat(frames(16, "<30>" + "x".repeat(20), "y".repeat(30), "z".repeat(30), "\0<30>ok\n"))
                .containsExactly("<30>ok");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void oversizedOctetCountedFrameIsSkippedToTheNextDelimiter() {
        String big = "<30>" + "x".repeat(100);
        assertThat(frames(16, octet(big) + "\n<30>ok\n")).containsExactly("<30>ok");
        assertThat(frames(16, octet(big).substring(0, 30), octet(big).substring(30) + "\0" + octet("<30>ok2")))
                .containsExactly("<30>ok2");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void aBogusHugeLengthDoesNotSwallowTheStream() {
        assertThat(frames(MAX, "999999999 garbage\n<30>after\n")).containsExactly("<30>after");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void frameOfExactlyMaxFrameBytesIsAcceptedOneMoreIsNot() {
        String exact = "<30>" + "x".repeat(12);
        String over = exact + "y";
        assertThat(frames(16, exact + "\n" + over + "\n" + octet(exact) + octet(over) + "\n<30>end\n"))
                .containsExactly(exact, exact, "<30>end");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void garbageBetweenFramesIsPassedOnAsItsOwnFrameAndDoesNotDisturbTheNext() {
        assertThat(frames(MAX, "<30>a\n\u0001\u0002garbage\n12abc\n" + octet("<30>b") + "\u00ff\u00fe\0<30>c\n"))
                .containsExactly("<30>a", "\u0001\u0002garbage", "12abc", "<30>b", "\u00ff\u00fe", "<30>c");
    }

    @Test
    void emptyFramesCarryNoMessage() {
        assertThat(frames(MAX, "\n\n\0\r\n<30>a\n\0\n")).containsExactly("<30>a");
        assertThat(counters.messageCount(Transport.TCP)).isEqualTo(1);
    }

    @Test
    void lastMessageWithoutDelimiterIsDeliveredWhenTheConnectionCloses() {
        assertThat(frames(MAX, "<30>a\n<30>tail")).containsExactly("<30>a", "<30>tail");
    }

    @Test
    void octetCountedFrameCutShortByCloseIsCountedAsTruncated() {
        assertThat(frames(MAX, "<30>a\n", "50 <30>short")).containsExactly("<30>a");
        assertThat(counters.dropCount(DropReason.TRUNCATED_FRAME)).isEqualTo(1);
    }

    @Test
    void lengthWithTooManyDigitsIsNotOctetCounting() {
        assertThat(frames(MAX, "12345678901 <30>x\n")).containsExactly("12345678901 <30>x");
    }

    @Test
    void largeStreamOfManyFramesAcrossArbitraryReads() {
        StringBuilder s = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String msg = "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: " + i + " 10.0.0." + (i % 250) + "/5353 query[A] n"
                    + i + ".test from 10.0.0." + (i % 250);
            expected.add(msg);
            s.append(
                    switch (i % 3) {
                        case 0 -> msg + "\n";
                        case 1 -> msg + "\0";
                        default -> octet(msg);
                    });
        }
        List<String> parts = new ArrayList<>();
        Random random = new Random(42);
        for (int p = 0; p < s.length(); ) {
            int n = Math.min(s.length() - p, 1 + random.nextInt(3000));
            parts.add(s.substring(p, p + n));
            p += n;
        }
        assertThat(frames(MAX, parts.toArray(String[]::new))).containsExactlyElementsOf(expected);
    }

    @Test
    void whilePausedForBackPressureNoMoreIsRead() {
        List<Runnable> relief = new ArrayList<>();
        boolean[] full = {true};
        RecordingFrameSink recording = new RecordingFrameSink();
        FrameSink fullSink = new FrameSink() {
            @Override
            public void frame(ByteBuf buf, int index, int length) {
                recording.frame(buf, index, length);
            }

            @Override
            public boolean overloaded() {
                return full[0];
            }

            @Override
            public void whenRelieved(Runnable action) {
                relief.add(action);
            }
        };
        int[] reads = {0};
        EmbeddedChannel ch = new EmbeddedChannel(
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void read(ChannelHandlerContext ctx) throws Exception {
                        reads[0]++;
                        super.read(ctx);
                    }
                },
                new SyslogFrameDecoder(MAX, fullSink, counters));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            lines.append("<13>m").append(i).append('\n');
        }
        write(ch, lines.toString());
        assertThat(ch.config().isAutoRead()).as("paused").isFalse();
        assertThat(relief).hasSize(1);
        int readsWhenPaused = reads[0];
        write(ch, "<13>later\n", "<13>still later\n"); // what was in flight when reading stopped
        assertThat(reads[0]).as("reads asked for while paused").isEqualTo(readsWhenPaused);
        assertThat(recording.frames).hasSize(31);

        full[0] = false;
        relief.get(0).run();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(recording.frames).hasSize(102).endsWith("<13>later", "<13>still later");
        ch.finish();
    }
}
