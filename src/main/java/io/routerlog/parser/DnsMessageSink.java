package io.routerlog.parser;

/**
 * Receives the DNS messages a packet source found. The addresses are raw bytes (4 for IPv4, 16 for IPv6) in
 * {@code buf}; the message is {@code buf[off, off+len)} without the TCP length prefix. Everything is only valid
 * during the call.
 */
public interface DnsMessageSink {
    void message(byte[] buf, int srcOff, int dstOff, int addrLen, int off, int len);
}
