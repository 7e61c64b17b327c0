package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * A parsed syslog message as ranges of the line it was parsed from. The parser fills one instance per receive
 * thread again for every message, so a receiver must not keep it past the call it was given in; the
 * {@code String} accessors copy.
 *
 * <p>Absent fields (no hostname, RFC 5424 NIL values) have length 0.
 *
 * <p>The message belongs to the parsers, which receive it; the syslog stage, which fills it, lives in a package of
 * its own, so the mutators are public.
 */
public final class SyslogMessage {
    /** The two header formats routerlog reads. */
    public enum Format {
        RFC3164,
        RFC5424
    }

    private byte[] buf = new byte[0];
    private @Nullable Format format;
    private int pri;
    private int timestampOff;
    private int timestampLen;
    private int hostnameOff;
    private int hostnameLen;
    private int prefixOff;
    private int prefixLen;
    private int programOff;
    private int programLen;
    private int procIdOff;
    private int procIdLen;
    private int msgIdOff;
    private int msgIdLen;
    private int structuredDataOff;
    private int structuredDataLen;
    private int messageOff;
    private int messageLen;
    private byte[] sender = new byte[0];
    private int senderLen;

    /** Starts over for a message in {@code buf}: no format, no PRI, every field absent. */
    public void reset(byte[] buf) {
        this.buf = buf;
        format = null;
        pri = -1;
        timestampLen = hostnameLen = prefixLen = programLen = procIdLen = msgIdLen = structuredDataLen = messageLen = 0;
        timestampOff = hostnameOff = prefixOff = programOff = procIdOff = msgIdOff = structuredDataOff = messageOff = 0;
    }

    /** Sets RFC 5424 header field {@code index}: 0 TIMESTAMP, 1 HOSTNAME, 2 APP-NAME, 3 PROCID, 4 MSGID. */
    public void setHeaderField(int index, int off, int len) {
        switch (index) {
            case 0 -> {
                timestampOff = off;
                timestampLen = len;
            }
            case 1 -> {
                hostnameOff = off;
                hostnameLen = len;
            }
            case 2 -> {
                programOff = off;
                programLen = len;
            }
            case 3 -> {
                procIdOff = off;
                procIdLen = len;
            }
            case 4 -> {
                msgIdOff = off;
                msgIdLen = len;
            }
            default -> throw new IllegalArgumentException("no RFC 5424 header field " + index);
        }
    }

    /**
     * The sender's address as text ({@code sender[0, len)}), set by the receiving side for the messages that follow
     * until it is set again; {@link #reset} leaves it.
     */
    public void setSender(byte[] sender, int len) {
        this.sender = sender;
        this.senderLen = len;
    }

    public void setFormat(Format format) {
        this.format = format;
    }

    public void setPri(int pri) {
        this.pri = pri;
    }

    public void setTimestamp(int off, int len) {
        timestampOff = off;
        timestampLen = len;
    }

    public void setHostname(int off, int len) {
        hostnameOff = off;
        hostnameLen = len;
    }

    /** OpenWrt's {@code log_prefix}. */
    public void setPrefix(int off, int len) {
        prefixOff = off;
        prefixLen = len;
    }

    public void setProgram(int off, int len) {
        programOff = off;
        programLen = len;
    }

    public void setProcId(int off, int len) {
        procIdOff = off;
        procIdLen = len;
    }

    public void setStructuredData(int off, int len) {
        structuredDataOff = off;
        structuredDataLen = len;
    }

    public void setMessage(int off, int len) {
        messageOff = off;
        messageLen = len;
    }

    public byte[] buf() {
        return buf;
    }

    /** The header format, or null when the header was not read (yet). */
    public @Nullable Format format() {
        return format;
    }

    public int pri() {
        return pri;
    }

    public int facility() {
        return pri >> 3;
    }

    public int severity() {
        return pri & 7;
    }

    public int programOffset() {
        return programOff;
    }

    public int programLength() {
        return programLen;
    }

    public int hostnameOffset() {
        return hostnameOff;
    }

    /** 0 when the message has no HOSTNAME (RFC 3164 without one, RFC 5424 NIL). */
    public int hostnameLength() {
        return hostnameLen;
    }

    /** The sender's address as text, empty when the source does not know it. */
    public byte[] senderBuf() {
        return sender;
    }

    public int senderLength() {
        return senderLen;
    }

    public int messageOffset() {
        return messageOff;
    }

    public int messageLength() {
        return messageLen;
    }

    /** True when the program (RFC 3164 tag name or RFC 5424 APP-NAME) is exactly {@code name}. */
    public boolean programIs(String name) {
        return Bytes.equalsAscii(buf, programOff, programLen, name);
    }

    public String timestamp() {
        return text(timestampOff, timestampLen);
    }

    public String hostname() {
        return text(hostnameOff, hostnameLen);
    }

    /** OpenWrt's {@code log_prefix}, when the message carries one. */
    public String prefix() {
        return text(prefixOff, prefixLen);
    }

    public String program() {
        return text(programOff, programLen);
    }

    public String procId() {
        return text(procIdOff, procIdLen);
    }

    public String msgId() {
        return text(msgIdOff, msgIdLen);
    }

    /** The RFC 5424 structured data elements as sent, {@code ""} for NIL. */
    public String structuredData() {
        return text(structuredDataOff, structuredDataLen);
    }

    public String message() {
        return text(messageOff, messageLen);
    }

    private String text(int off, int len) {
        return len == 0 ? "" : Bytes.decode(buf, off, len);
    }

    @Override
    public String toString() {
        return format + "{pri=" + pri + ", host=" + hostname() + ", program=" + program() + ", pid=" + procId()
                + ", msg=" + message() + '}';
    }
}
