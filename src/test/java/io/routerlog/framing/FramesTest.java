package io.routerlog.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FramesTest {
    @Test
    void theDelimiterIsTheFirstNewlineOrNulOfTheRangeInBuffersAndArrays() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 300; round++) {
            byte[] b = new byte[random.nextInt(1, 48)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(20);
                b[i] = (byte) (r == 0 ? '\n' : r == 1 ? 0 : r == 2 ? '\r' : r == 3 ? 0x8a : 'a' + r);
            }
            ByteBuf direct =
                    Unpooled.directBuffer(b.length + 8).writeBytes(new byte[5]).writeBytes(b);
            ByteBuf heap = Unpooled.wrappedBuffer(new byte[5], b);
            byte[] array = new byte[b.length + 5];
            System.arraycopy(b, 0, array, 5, b.length);
            try {
                for (int from = 0; from <= b.length; from++) {
                    for (int to = from; to <= b.length; to++) {
                        int expected = -1;
                        for (int i = from; i < to; i++) {
                            if (b[i] == '\n' || b[i] == 0) {
                                expected = i + 5;
                                break;
                            }
                        }
                        assertThat(Frames.delimiter(direct, from + 5, to + 5)).isEqualTo(expected);
                        assertThat(Frames.delimiter(heap, from + 5, to + 5)).isEqualTo(expected);
                        assertThat(Frames.delimiter(array, from + 5, to + 5)).isEqualTo(expected);
                        assertThat(Frames.withoutLineEnds(array, from + 5, to - from))
                                .isEqualTo(Frames.withoutLineEnds(direct, from + 5, to - from));
                    }
                }
            } finally {
                direct.release();
                heap.release();
            }
        }
    }
}
