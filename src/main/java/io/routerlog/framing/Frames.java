package io.routerlog.framing;

import io.netty.buffer.ByteBuf;
import io.routerlog.bytes.Bytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The framing rules that hold for every transport, so that a message reads the same whichever framing carried it:
 * the delimiters of non-transparent framing, the RFC 6587 octet-count header, and the line ends a frame may carry
 * at its end ({@code \n}, {@code \r\n}, {@code \0}: octet-counted frames of syslog-ng and rsyslog and RFC 5425 TLS
 * senders count a trailing {@code \n}, some UDP senders append one), which are never part of the message.
 */
final class Frames {
    /** Up to 999,999,999: more digits than this cannot be a frame length. */
    static final int MAX_LENGTH_DIGITS = 9;

    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    /**
     * Index of the first delimiter of non-transparent framing ({@code \n} or {@code \0}) in {@code [from, to)}, or
     * -1. Reads eight bytes at a time: every TCP line and most datagrams are scanned to their end.
     */
    static int delimiter(ByteBuf in, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = in.getLongLE(i);
            // a byte of 0x80 where x has a NUL or a newline
            long z = Bytes.zeroBytes(x) | Bytes.zeroBytes(x ^ NEWLINES);
            if (z != 0) {
                return i + (Long.numberOfTrailingZeros(z) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@link #delimiter(ByteBuf, int, int)} in an array. */
    static int delimiter(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            long z = Bytes.zeroBytes(x) | Bytes.zeroBytes(x ^ NEWLINES);
            if (z != 0) {
                return i + (Long.numberOfTrailingZeros(z) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #octetCountHeader} when the range does not start with {@code LEN SP}. */
    static final long NOT_OCTET_COUNTED = -1;
    /** {@link #octetCountHeader} when the range ends inside what may still become a header. */
    static final long NEED_MORE = -2;

    private Frames() {}

    /**
     * Reads an RFC 6587 octet-count header ({@code LEN SP}, LEN a decimal number of at most nine digits; leading
     * zeros, which the RFC does not allow, are accepted because syslog-ng's {@code loggen} sends them) at
     * {@code start}: the header's length in the high 32 bits and LEN in the low 32 bits, or
     * {@link #NOT_OCTET_COUNTED} / {@link #NEED_MORE}. LEN may exceed any sane frame size; the caller checks it.
     */
    static long octetCountHeader(ByteBuf in, int start, int end) {
        if (!isDigit(in.getByte(start))) {
            return NOT_OCTET_COUNTED;
        }
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
        if (i - start > MAX_LENGTH_DIGITS) {
            return NOT_OCTET_COUNTED;
        }
        if (i == end) {
            return NEED_MORE;
        }
        if (in.getByte(i) != ' ') {
            return NOT_OCTET_COUNTED;
        }
        return ((long) (i + 1 - start) << 32) | length;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static int headerLength(long header) {
        return (int) (header >>> 32);
    }

    static long frameLength(long header) {
        return header & 0xffffffffL;
    }

    /** {@link #withoutLineEnds(ByteBuf, int, int)} in an array. */
    static int withoutLineEnds(byte[] b, int off, int length) {
        while (length > 0) {
            byte last = b[off + length - 1];
            if (last != '\n' && last != '\r' && last != 0) {
                break;
            }
            length--;
        }
        return length;
    }

    /** Length of the frame {@code [index, index+length)} without the line ends at its end. */
    static int withoutLineEnds(ByteBuf in, int index, int length) {
        while (length > 0) {
            byte last = in.getByte(index + length - 1);
            if (last != '\n' && last != '\r' && last != 0) {
                break;
            }
            length--;
        }
        return length;
    }
}
