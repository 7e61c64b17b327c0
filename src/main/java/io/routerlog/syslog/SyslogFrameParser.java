package io.routerlog.syslog;

import io.netty.buffer.ByteBuf;
import io.routerlog.parser.SyslogMessage;
import io.routerlog.parser.SyslogMessageSink;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.LogThrottle;
import io.routerlog.stats.PipelineCounters;
import java.net.SocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The syslog stage of one receive thread: copies each frame into a reusable line buffer, parses the header and
 * hands the message on. Messages that do not parse are counted by reason; a fault in a later stage is counted
 * and logged, and never reaches the connection.
 */
public final class SyslogFrameParser implements FrameSink {
    private static final Logger LOG = LogManager.getLogger(SyslogFrameParser.class);

    private final SyslogMessageSink next;
    private final PipelineCounters counters;
    private final SyslogMessage message = new SyslogMessage();
    private byte[] line = new byte[2048];
    private final LogThrottle errorLog = LogThrottle.perMinute();
    private final SenderNames senders = new SenderNames();

    public SyslogFrameParser(SyslogMessageSink next, PipelineCounters counters) {
        this.next = next;
        this.counters = counters;
    }

    @Override
    public void sender(SocketAddress sender) {
        byte[] text = senders.text(sender);
        message.setSender(text, text.length);
    }

    @Override
    public void frame(ByteBuf buf, int index, int length) {
        if (length > line.length) {
            line = new byte[Math.max(length, line.length * 2)];
        }
        buf.getBytes(index, line, 0, length);
        parse(line, 0, length);
    }

    @Override
    public void frame(byte[] bytes, int off, int length) {
        parse(bytes, off, length);
    }

    /** Parses one message from a byte range (file sources and tests use this directly). */
    public void parse(byte[] bytes, int off, int length) {
        try {
            DropReason reason = SyslogParser.parse(bytes, off, length, message);
            if (reason != null) {
                counters.dropped(reason);
                return;
            }
            next.message(message);
        } catch (RuntimeException e) {
            counters.dropped(DropReason.INTERNAL_ERROR);
            if (errorLog.permits()) {
                LOG.error(
                        "Dropped a message that could not be processed (further errors within a minute are only"
                                + " counted in routerlog_syslog_dropped_total, reason internal_error)",
                        e);
            }
        }
    }
}
