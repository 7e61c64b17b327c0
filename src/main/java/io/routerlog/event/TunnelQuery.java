package io.routerlog.event;

import io.routerlog.bytes.Bytes;

/**
 * A query under a DNSTT tunnel domain: which tunnel, which address sent it to the resolver (usually a recursive
 * resolver), the session it belongs to when its name decodes to one, and its reconstructed size on the wire.
 *
 * <p>A flyweight like {@link DnsQuery}: valid only during the call it is passed to.
 */
public final class TunnelQuery {
    /** Header, question type and class, and the EDNS0 OPT record a dnstt client adds. */
    public static final int FIXED_QUERY_BYTES = 12 + 4 + 11;

    private int domainIndex;
    private byte[] buf = new byte[0];
    private int senderOff;
    private int senderLen;
    private boolean hasSession;
    private long clientId;
    private int wireBytes;

    public TunnelQuery set(
            int domainIndex,
            byte[] buf,
            int senderOff,
            int senderLen,
            boolean hasSession,
            long clientId,
            int wireBytes) {
        this.domainIndex = domainIndex;
        this.buf = buf;
        this.senderOff = senderOff;
        this.senderLen = senderLen;
        this.hasSession = hasSession;
        this.clientId = clientId;
        this.wireBytes = wireBytes;
        return this;
    }

    /** Index of the tunnel domain in the configured list. */
    public int domainIndex() {
        return domainIndex;
    }

    public byte[] buf() {
        return buf;
    }

    public int senderOffset() {
        return senderOff;
    }

    public int senderLength() {
        return senderLen;
    }

    public String sender() {
        return Bytes.decode(buf, senderOff, senderLen);
    }

    /** False for a name under the tunnel domain that does not decode to a ClientID. */
    public boolean hasSession() {
        return hasSession;
    }

    /** The session's 8-byte ClientID (meaningful when {@link #hasSession}). */
    public long clientId() {
        return clientId;
    }

    /** Size of the query packet a dnstt client sends for this name, reconstructed from the name. */
    public int wireBytes() {
        return wireBytes;
    }

    @Override
    public String toString() {
        return "TunnelQuery{domain#" + domainIndex + ' ' + sender()
                + (hasSession ? " " + Long.toHexString(clientId) : " invalid") + ' ' + wireBytes + "B}";
    }
}
