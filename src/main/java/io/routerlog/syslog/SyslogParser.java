package io.routerlog.syslog;

import io.routerlog.bytes.Bytes;
import io.routerlog.parser.SyslogMessage;
import io.routerlog.stats.DropReason;
import org.jspecify.annotations.Nullable;

/**
 * Parses one syslog message, RFC 3164 as OpenWrt's logd sends it or RFC 5424, without allocating.
 *
 * <p>RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss [HOSTNAME ][PREFIX: ]TAG[PID]: MSG}): the timestamp is optional and
 * matched structurally with English month names, whatever the JVM locale; an RFC 3339 timestamp in its place is
 * accepted too. The hostname and logd's {@code log_prefix} are optional. Only the PRI is required.
 *
 * <p>RFC 5424 ({@code <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}): NIL values ({@code -})
 * become empty fields; structured data ends after the last element, so a message that itself starts with
 * {@code [A]} stays message; a UTF-8 BOM before the message is skipped.
 *
 * <p>In both formats the message is taken without the blanks around it.
 *
 * <p>A message that is not syslog gets a {@link DropReason} instead of an exception.
 */
public final class SyslogParser {
    private static final byte SP = ' ';

    private SyslogParser() {}

    /**
     * Parses {@code b[off, off+len)} into {@code m}.
     *
     * @return {@code null} when the message parsed, else why it was dropped
     */
    public static @Nullable DropReason parse(byte[] b, int off, int len, SyslogMessage m) {
        m.reset(b);
        int end = off + len;
        if (len < 3 || b[off] != '<') {
            return DropReason.BAD_PRI;
        }
        int i = off + 1;
        int pri = 0;
        while (i < end && Bytes.isDigit(b[i]) && i - off <= 3) {
            pri = pri * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - off - 1;
        if (digits == 0 || digits > 3 || i == end || b[i] != '>' || pri > 191) {
            return DropReason.BAD_PRI;
        }
        m.setPri(pri);
        i++;
        if (i == end) {
            return DropReason.BAD_HEADER;
        }
        int v = i;
        while (v < end && Bytes.isDigit(b[v]) && v - i < 2) {
            v++;
        }
        if (v > i && v < end && b[v] == SP && b[i] != '0') {
            return parse5424(b, v + 1, end, m);
        }
        return parse3164(b, i, end, m);
    }

    private static @Nullable DropReason parse3164(byte[] b, int p, int end, SyslogMessage m) {
        m.setFormat(SyslogMessage.Format.RFC3164);
        int ts = timestampLength(b, p, end);
        if (ts > 0) {
            // the length includes the separating space, which is not part of the timestamp
            m.setTimestamp(p, b[p + ts - 1] == SP ? ts - 1 : ts);
            p += ts;
        }
        while (p < end && b[p] == SP) {
            p++;
        }
        if (p == end) {
            return DropReason.BAD_HEADER;
        }
        int candidate = p;
        int candidateEnd = tokenEnd(b, p, end);
        if (!isTag(b, p, candidateEnd)) {
            if (candidateEnd == end) {
                setMessage(m, p, end);
                return null;
            }
            m.setHostname(p, candidateEnd - p);
            candidate = skipSpaces(b, candidateEnd, end);
            candidateEnd = tokenEnd(b, candidate, end);
            if (!isTag(b, candidate, candidateEnd)) {
                setMessage(m, candidate, end);
                return null;
            }
        }
        if (!hasPid(b, candidate, candidateEnd) && candidateEnd < end) {
            int next = candidateEnd + 1;
            int nextEnd = tokenEnd(b, next, end);
            if (isTag(b, next, nextEnd)
                    && (hasPid(b, next, nextEnd) || Bytes.equalsAscii(b, next, nextEnd - next, "kernel:"))) {
                m.setPrefix(candidate, candidateEnd - 1 - candidate);
                candidate = next;
                candidateEnd = nextEnd;
            }
        }
        int nameEnd = candidateEnd - 1; // the ':'
        if (hasPid(b, candidate, candidateEnd)) {
            int open = Bytes.indexOf(b, candidate, candidateEnd, (byte) '[');
            m.setProcId(open + 1, candidateEnd - 2 - (open + 1));
            nameEnd = open;
        }
        m.setProgram(candidate, nameEnd - candidate);
        int msg = candidateEnd < end ? candidateEnd + 1 : end;
        setMessage(m, msg, end);
        return null;
    }

    /**
     * Length of an RFC 3164 timestamp at {@code p}, including the space after it, or 0 when there is none.
     * Accepts {@code Mmm dd hh:mm:ss} (optionally with fractional seconds or a year before the time) and an
     * RFC 3339 timestamp.
     */
    static int timestampLength(byte[] b, int p, int end) {
        if (end - p >= 15
                && isMonth(b, p)
                && b[p + 3] == SP
                && (b[p + 4] == SP || Bytes.isDigit(b[p + 4]))
                && Bytes.isDigit(b[p + 5])
                && b[p + 6] == SP) {
            int t = p + 7;
            if (end - t >= 5 && allDigits(b, t, 4) && b[t + 4] == SP) {
                t += 5; // "Mmm dd yyyy hh:mm:ss", as some network devices send
            }
            if (isTime(b, t, end)) {
                int q = t + 8;
                if (q < end && b[q] == '.') {
                    q++;
                    while (q < end && Bytes.isDigit(b[q])) {
                        q++;
                    }
                }
                if (q == end) {
                    return q - p;
                }
                if (b[q] == SP) {
                    return q + 1 - p;
                }
            }
            return 0;
        }
        if (end - p >= 11 && allDigits(b, p, 4) && b[p + 4] == '-' && allDigits(b, p + 5, 2) && b[p + 7] == '-') {
            int q = tokenEnd(b, p, end);
            return q == end ? q - p : q + 1 - p;
        }
        return 0;
    }

    private static boolean isTime(byte[] b, int t, int end) {
        return end - t >= 8
                && allDigits(b, t, 2)
                && b[t + 2] == ':'
                && allDigits(b, t + 3, 2)
                && b[t + 5] == ':'
                && allDigits(b, t + 6, 2);
    }

    /** One switch on the three letters: this runs for every RFC 3164 line. */
    private static boolean isMonth(byte[] b, int p) {
        return switch ((b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff)) {
            case 'J' << 16 | 'a' << 8 | 'n',
                    'F' << 16 | 'e' << 8 | 'b',
                    'M' << 16 | 'a' << 8 | 'r',
                    'A' << 16 | 'p' << 8 | 'r',
                    'M' << 16 | 'a' << 8 | 'y',
                    'J' << 16 | 'u' << 8 | 'n',
                    'J' << 16 | 'u' << 8 | 'l',
                    'A' << 16 | 'u' << 8 | 'g',
                    'S' << 16 | 'e' << 8 | 'p',
                    'O' << 16 | 'c' << 8 | 't',
                    'N' << 16 | 'o' << 8 | 'v',
                    'D' << 16 | 'e' << 8 | 'c' -> true;
            default -> false;
        };
    }

    private static boolean allDigits(byte[] b, int p, int n) {
        for (int i = p; i < p + n; i++) {
            if (!Bytes.isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** A syslog tag token: {@code name:} or {@code name[pid]:}, with no other ':' or brackets in the name. */
    private static boolean isTag(byte[] b, int p, int tokenEnd) {
        int n = tokenEnd - p;
        if (n < 2 || b[tokenEnd - 1] != ':') {
            return false;
        }
        int nameEnd = tokenEnd - 1;
        if (b[nameEnd - 1] == ']') {
            int open = Bytes.indexOf(b, p, nameEnd, (byte) '[');
            if (open <= p || open == nameEnd - 2) {
                return false;
            }
            nameEnd = open;
        }
        for (int i = p; i < nameEnd; i++) {
            byte c = b[i];
            if (c == ':' || c == '[' || c == ']' || c < 0x21 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasPid(byte[] b, int p, int tokenEnd) {
        return tokenEnd - p >= 4 && b[tokenEnd - 2] == ']';
    }

    private static int tokenEnd(byte[] b, int p, int end) {
        int i = Bytes.indexOf(b, p, end, SP);
        return i < 0 ? end : i;
    }

    private static int skipSpaces(byte[] b, int p, int end) {
        while (p < end && b[p] == SP) {
            p++;
        }
        return p;
    }

    private static @Nullable DropReason parse5424(byte[] b, int p, int end, SyslogMessage m) {
        m.setFormat(SyslogMessage.Format.RFC5424);
        for (int field = 0; field < 5; field++) {
            int e = headerField(b, p, end);
            if (e < 0) {
                return DropReason.BAD_HEADER;
            }
            if (!isNil(b, p, e)) {
                m.setHeaderField(field, p, e - p);
            }
            p = e + 1;
        }
        if (p >= end) {
            return DropReason.BAD_HEADER;
        }
        if (b[p] == '-') {
            p++;
        } else if (b[p] == '[') {
            int sdEnd = structuredDataEnd(b, p, end);
            if (sdEnd < 0) {
                return DropReason.BAD_STRUCTURED_DATA;
            }
            m.setStructuredData(p, sdEnd - p);
            p = sdEnd;
        } else {
            return DropReason.BAD_STRUCTURED_DATA;
        }
        if (p < end && b[p] == SP) {
            p++;
        } else if (p < end) {
            return DropReason.BAD_STRUCTURED_DATA;
        }
        if (end - p >= 3 && b[p] == (byte) 0xEF && b[p + 1] == (byte) 0xBB && b[p + 2] == (byte) 0xBF) {
            p += 3;
        }
        setMessage(m, p, end);
        return null;
    }

    /** End of a non-empty header field of printable US-ASCII at {@code p} that is followed by a space, or -1. */
    private static int headerField(byte[] b, int p, int end) {
        for (int i = p; i < end; i++) {
            byte c = b[i];
            if (c == SP) {
                return i == p ? -1 : i;
            }
            if (c < 33 || c > 126) {
                return -1; // RFC 5424 header fields are printable US-ASCII: no control byte reaches a label
            }
        }
        return -1;
    }

    private static boolean isNil(byte[] b, int p, int e) {
        return e - p == 1 && b[p] == '-';
    }

    /**
     * End (exclusive) of the SD-ELEMENTs starting at {@code p}, or -1 when one does not close. Inside a quoted
     * PARAM-VALUE, {@code \"}, {@code \\} and {@code \]} are escapes and {@code ]} does not close the element.
     */
    static int structuredDataEnd(byte[] b, int p, int end) {
        while (p < end && b[p] == '[') {
            p++;
            if (p == end || b[p] == SP || b[p] == ']') {
                return -1; // an SD-ELEMENT needs an SD-ID
            }
            boolean quoted = false;
            boolean closed = false;
            while (p < end) {
                byte c = b[p++];
                if (quoted) {
                    if (c == '\\' && p < end) {
                        p++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ']') {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                return -1;
            }
        }
        return p;
    }

    /**
     * The message without white space around it, whatever the format: rsyslog's RFC 5424 output keeps the space
     * that followed the tag ({@code - -  query[A] ...}), and trailing blanks are no part of what was logged (logd
     * strips them too).
     */
    private static void setMessage(SyslogMessage m, int p, int end) {
        byte[] b = m.buf();
        while (p < end && isBlank(b[p])) {
            p++;
        }
        while (end > p && isBlank(b[end - 1])) {
            end--;
        }
        m.setMessage(p, end - p);
    }

    private static boolean isBlank(byte c) {
        return c == SP || c == '\t';
    }
}
