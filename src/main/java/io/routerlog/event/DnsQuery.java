package io.routerlog.event;

import io.routerlog.text.Bytes;

/**
 * One DNS query as ranges of the parser's line buffer: who asked ({@code client}, an IPv4 or IPv6 address as the
 * resolver logged it), for what ({@code domain}, lower-case, no trailing dot) and which type ({@code qtype}, the
 * resolver's mnemonic such as {@code A} or {@code HTTPS}, or {@code TYPE<n>}).
 *
 * <p>A flyweight: the parser refills one instance per line, so receivers copy what they keep.
 */
public final class DnsQuery {
    private byte[] buf;
    private int clientOff;
    private int clientLen;
    private int domainOff;
    private int domainLen;
    private int qtypeOff;
    private int qtypeLen;

    public DnsQuery set(byte[] buf, int clientOff, int clientLen, int domainOff, int domainLen, int qtypeOff,
            int qtypeLen) {
        this.buf = buf;
        this.clientOff = clientOff;
        this.clientLen = clientLen;
        this.domainOff = domainOff;
        this.domainLen = domainLen;
        this.qtypeOff = qtypeOff;
        this.qtypeLen = qtypeLen;
        return this;
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
        return "DnsQuery{" + client() + ' ' + domain() + ' ' + qtype() + '}';
    }
}
