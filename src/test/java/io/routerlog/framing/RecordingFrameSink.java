package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.routerlog.syslog.FrameSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of every frame it is given. */
final class RecordingFrameSink implements FrameSink {
    final List<String> frames = new ArrayList<>();

    @Override
    public void frame(ByteBuf buf, int index, int length) {
        frames.add(buf.toString(index, length, StandardCharsets.ISO_8859_1));
    }
}
