package io.routerlog.event;

import io.routerlog.bytes.Bytes;

/**
 * One DNS query (or, from a packet, a response) as ranges of a buffer: who asked ({@code client}, an IPv4 or IPv6
 * address), for what ({@code domain}) and which type ({@code qtype}, the resolver's mnemonic such as {@code A} or
 * {@code HTTPS}, or {@code TYPE<n>}), which router logged or answered it ({@code router}, in a buffer of its own),
 * and the size of the message on the wire when the source knows it.
 *
 * <p>Parsers report names and addresses as the source wrote them; the rules stage ({@code rules.Rules}) reports the
 * stored forms on: canonical (and maybe anonymized) client, lower-cased and escaped name, {@link #shortened} when
 * an over-long name was cut to a suffix.
 *
 * <p>A flyweight: its producer refills one instance per message, so receivers copy what they keep.
 */
public final class DnsQuery {
    private byte[] buf = new byte[0];
    private int clientOff;
    private int clientLen;
    private int domainOff;
    private int domainLen;
    private int qtypeOff;
    private int qtypeLen;
    private int wireBytes;
    private boolean shortened;
    private byte[] routerBuf = new byte[0];
    private int routerOff;
    private int routerLen;

    public DnsQuery set(
            byte[] buf, int clientOff, int clientLen, int domainOff, int domainLen, int qtypeOff, int qtypeLen) {
        return set(buf, clientOff, clientLen, domainOff, domainLen, qtypeOff, qtypeLen, 0, false);
    }

    /**
     * Points this flyweight at the query in {@code buf}.
     *
     * @param wireBytes size of the DNS message on the wire, 0 when the source does not know it (a log line)
     * @param shortened the name was longer than a DNS name can be and is stored as a suffix of it
     */
    public DnsQuery set(
            byte[] buf,
            int clientOff,
            int clientLen,
            int domainOff,
            int domainLen,
            int qtypeOff,
            int qtypeLen,
            int wireBytes,
            boolean shortened) {
        this.buf = buf;
        this.clientOff = clientOff;
        this.clientLen = clientLen;
        this.domainOff = domainOff;
        this.domainLen = domainLen;
        this.qtypeOff = qtypeOff;
        this.qtypeLen = qtypeLen;
        this.wireBytes = wireBytes;
        this.shortened = shortened;
        return this;
    }

    /**
     * Sets the router: the syslog HOSTNAME of the message (or the sender's address), for a packet the resolver's
     * address. It stays set for the next queries of this flyweight until set again.
     */
    public DnsQuery router(byte[] buf, int off, int len) {
        this.routerBuf = buf;
        this.routerOff = off;
        this.routerLen = len;
        return this;
    }

    public byte[] routerBuf() {
        return routerBuf;
    }

    public int routerOffset() {
        return routerOff;
    }

    public int routerLength() {
        return routerLen;
    }

    public String router() {
        return Bytes.decode(routerBuf, routerOff, routerLen);
    }

    /** Size of the DNS message on the wire, or 0 when the source does not know it. */
    public int wireBytes() {
        return wireBytes;
    }

    /** True when the name was longer than 253 characters and {@link #domain} is the suffix stored for it. */
    public boolean shortened() {
        return shortened;
    }

    public byte[] buf() {
        return buf;
    }

    public int clientOffset() {
        return clientOff;
    }

    public int clientLength() {
        return clientLen;
    }

    public int domainOffset() {
        return domainOff;
    }

    public int domainLength() {
        return domainLen;
    }

    public int qtypeOffset() {
        return qtypeOff;
    }

    public int qtypeLength() {
        return qtypeLen;
    }

    public String client() {
        return Bytes.decode(buf, clientOff, clientLen);
    }

    public String domain() {
        return Bytes.decode(buf, domainOff, domainLen);
    }

    public String qtype() {
        return Bytes.decode(buf, qtypeOff, qtypeLen);
    }

    @Override
    public String toString() {
        return "DnsQuery{" + router() + ' ' + client() + ' ' + domain() + ' ' + qtype() + '}';
    }
}
