package io.routerlog.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.testing.NettyLeakCheck;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class DatagramFrameHandlerTest {
    private final PipelineCounters counters = new PipelineCounters();
    private final RecordingFrameSink sink = new RecordingFrameSink();
    private final List<ByteBuf> sent = new ArrayList<>();

    private List<String> receive(int maxFrame, String... datagrams) {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramFrameHandler(maxFrame, sink, counters));
        for (String d : datagrams) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer();
            b.writeBytes(d.getBytes(StandardCharsets.ISO_8859_1));
            sent.add(b);
            ch.writeInbound(new DatagramPacket(b, new InetSocketAddress("127.0.0.1", 514),
                    new InetSocketAddress("127.0.0.2", 40000)));
        }
        ch.finish();
        for (ByteBuf b : sent) {
            assertThat(b.refCnt()).as("datagram released").isZero();
        }
        return sink.frames;
    }

    @Test
    void oneMessagePerDatagramWithOneTrailingNewlineOrNulStripped() {
        assertThat(receive(1024, "<30>plain", "<30>newline\n", "<30>nul\0", "<30>two newlines\n\n", "<30>cr\r"))
                .containsExactly("<30>plain", "<30>newline", "<30>nul", "<30>two newlines\n", "<30>cr\r");
        assertThat(counters.messageCount(Transport.UDP)).isEqualTo(5);
    }

    @Test
    void newlinesInsideADatagramStayInTheMessage() {
        assertThat(receive(1024, "<30>a\nb\n")).containsExactly("<30>a\nb");
    }

    @Test
    void oversizedDatagramIsDroppedAndCounted() {
        assertThat(receive(16, "<30>" + "x".repeat(13), "<30>" + "x".repeat(12) + "\n", "<30>ok"))
                .containsExactly("<30>" + "x".repeat(12), "<30>ok");
        assertThat(counters.dropCount(DropReason.FRAME_TOO_LARGE)).isEqualTo(1);
    }
}
