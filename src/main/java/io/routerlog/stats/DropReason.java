package io.routerlog.stats;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Why a message (or a part of the stream) was not used; the {@code reason} label of
 * {@code routerlog_syslog_dropped_total}. Every drop anywhere in the pipeline is counted under one of these.
 */
public enum DropReason {
    /** A datagram or TCP connection (reset when accepted) from a sender outside {@code --allow-from}. */
    NOT_ALLOWED("not_allowed"),
    /** A TLS connection whose handshake failed (no or an untrusted client certificate, a plain-text sender). */
    TLS_HANDSHAKE_FAILED("tls_handshake_failed"),
    /**
     * A TCP connection refused because {@code --max-connections} were open: closed when accepted, with a reset, so
     * the sender's next write fails rather than being taken and dropped.
     */
    TOO_MANY_CONNECTIONS("too_many_connections"),
    /**
     * A TCP connection refused like {@link #TOO_MANY_CONNECTIONS} because its sender (address) already had
     * {@code --max-connections-per-sender} open, none of them idle or slow.
     */
    TOO_MANY_FROM_SENDER("too_many_from_sender"),
    /**
     * An idle or slow TCP connection (one that completed no frame for {@code --frame-timeout}) closed, with a
     * reset, to make room for a new connection at {@code --max-connections} or {@code --max-connections-per-sender}:
     * a new sender is preferred to one that holds a place without using it.
     */
    CONNECTION_EVICTED("connection_evicted"),
    /**
     * A TCP connection reset because a frame did not end within {@code --frame-timeout} of its first byte (a sender
     * trickling bytes to hold the connection); what it sent of the frame is dropped.
     */
    FRAME_TIMEOUT("frame_timeout"),
    /**
     * A TCP connection reset because the unfinished frames of all connections together held more than
     * {@code --max-buffered} bytes and it held the most; what it sent of the frame is dropped.
     */
    BUFFER_LIMIT("buffer_limit"),
    /** A frame longer than {@code --max-frame}; skipped up to its end, the stream goes on after it. */
    FRAME_TOO_LARGE("frame_too_large"),
    /** An octet-counted frame that the sender announced but did not finish before closing the connection. */
    TRUNCATED_FRAME("truncated_frame"),
    /** No {@code <PRI>} at the start, or one that is not a number from 0 to 191. */
    BAD_PRI("bad_pri"),
    /** Nothing after the PRI, or an RFC 5424 header with missing fields. */
    BAD_HEADER("bad_header"),
    /** RFC 5424 structured data that does not close. */
    BAD_STRUCTURED_DATA("bad_structured_data"),
    /**
     * A dnsmasq query or DHCP line whose fields are not where its kind puts them (a query's client that is not an
     * address, say), or a line that names a query but in no layout dnsmasq writes.
     */
    BAD_DNSMASQ_LINE("bad_dnsmasq_line"),
    /** A firewall LOG line cut short or without its addresses. */
    BAD_FIREWALL_LINE("bad_firewall_line"),
    /** A HAProxy HTTP log line cut short or with fields out of place. */
    BAD_HTTP_LINE("bad_http_line"),
    /** A new (client, domain, qtype) pair arrived while this receive thread's batch was full. */
    AGGREGATION_FULL("aggregation_full"),
    /** A fault inside routerlog while handling the message; logged once a minute with its stack trace. */
    INTERNAL_ERROR("internal_error"),
    /** Counts that could not be written to the store and were given up after retrying. */
    STORE_UNAVAILABLE("store_unavailable");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Every label, comma-separated, for help texts. */
    public static String labels() {
        return Arrays.stream(values()).map(DropReason::label).collect(Collectors.joining(", "));
    }
}
