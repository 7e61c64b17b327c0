package io.routerlog.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.testing.NettyLeakCheck;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class DatagramFramesTest {
    private final PipelineCounters counters = new PipelineCounters();
    private final RecordingFrameSink sink = new RecordingFrameSink();

    private List<String> receive(int maxFrame, String... datagrams) {
        DatagramFrames frames = new DatagramFrames(maxFrame, sink, counters);
        for (String d : datagrams) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
            try {
                b.writeBytes(d.getBytes(StandardCharsets.ISO_8859_1));
                frames.datagram(b, new InetSocketAddress("127.0.0.2", 40000));
                assertThat(b.readerIndex())
                        .as("the datagram's buffer is left as it was")
                        .isZero();
            } finally {
                b.release();
            }
        }
        return sink.frames;
    }

    @Test
    void oneMessagePerDatagramWithoutTheLineEndsAfterIt() {
        assertThat(receive(
                        1024,
                        "<30>plain",
                        "<30>newline\n",
                        "<30>nul\0",
                        "<30>two newlines\n\n",
                        "<30>cr\r",
                        "<30>crlf\r\n",
                        "<30>crlfnul\r\n\0"))
                .containsExactly(
                        "<30>plain", "<30>newline", "<30>nul", "<30>two newlines", "<30>cr", "<30>crlf", "<30>crlfnul");
        assertThat(counters.messageCount(Transport.UDP)).isEqualTo(7);
    }

    @Test
    void aDatagramOfSeveralLinesGivesSeveralMessages() {
        assertThat(receive(1024, "<30>a\nb\n", "<30>one\r\n<30>two\0<30>three"))
                .containsExactly("<30>a", "b", "<30>one", "<30>two", "<30>three");
        assertThat(counters.messageCount(Transport.UDP)).isEqualTo(5);
    }

    @Test
    void emptyDatagramsCarryNoMessage() {
        assertThat(receive(1024, "", "\n", "\r\n\0")).isEmpty();
        assertThat(counters.messageCount(Transport.UDP)).isZero();
    }

    @Test
    void octetCountInsideADatagramIsHonoured() {
        String msg = "<38>1 2026-12-02T10:00:00+00:00 host prg00000 1234 - - seq: 0000000000";
        assertThat(receive(1024, msg.length() + " " + msg, (msg.length() + 1) + " " + msg + "\n", "5 <30>a5 <30>b"))
                .containsExactly(msg, msg, "<30>a", "<30>b");
        assertThat(counters.messageCount(Transport.UDP)).isEqualTo(4);
    }

    @Test
    void aZeroPaddedOctetCountAsLoggenSendsIsHonoured() {
        String msg = "<30>1 2026-12-02T05:43:35 router dnsmasq 300 - - query[A] x from 10.3.0.1\n";
        assertThat(receive(1024, String.format("%09d ", msg.length()) + msg)).containsExactly(msg.strip());
    }

    @Test
    void octetCountBeyondTheDatagramIsATruncatedFrame() {
        assertThat(receive(1024, "99 <30>short", "3000 <30>x")).isEmpty();
        assertThat(counters.dropCount(DropReason.TRUNCATED_FRAME)).isEqualTo(1);
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
        assertThat(counters.messageCount(Transport.UDP)).isEqualTo(2);
    }

    @Test
    void anOctetCountedFrameKeepsTheNewlinesAndNulsInsideIt() {
        assertThat(receive(1024, "11 <30>a\nb\0c\n\n")).containsExactly("<30>a\nb\0c");
    }

    @Test
    void oversizedDatagramIsDroppedAndCounted() {
        assertThat(receive(16, "<30>" + "x".repeat(13), "<30>" + "x".repeat(12) + "\n", "<30>ok"))
                .containsExactly("<30>" + "x".repeat(12), "<30>ok");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
    }
}
