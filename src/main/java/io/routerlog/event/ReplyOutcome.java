package io.routerlog.event;

import java.nio.charset.StandardCharsets;

/** How the resolver handled a query; the {@code outcome} label of {@code routerlog_dns_replies_total}. */
public enum ReplyOutcome {
    /** Sent to an upstream server ({@code forwarded NAME to SERVER}). */
    FORWARDED("forwarded"),
    /** An upstream answer with records ({@code reply NAME is ADDRESS|<CNAME>|...}). */
    ANSWERED("answered"),
    /** Upstream said the name does not exist. */
    NXDOMAIN("nxdomain"),
    /** Upstream said the name exists but has no record of the type asked. */
    NODATA("nodata"),
    SERVFAIL("servfail"),
    REFUSED("refused"),
    /** Another error code from upstream (NOTIMP, FORMERR, ...). */
    ERROR("error"),
    /** Answered from the cache. */
    CACHED("cached"),
    /** Answered from the cache with an expired record ({@code use-stale-cache}). */
    CACHED_STALE("cached_stale"),
    /** Answered by an {@code address=/name/} rule with 0.0.0.0, ::, NXDOMAIN or NODATA: a block list hit. */
    BLOCKED("blocked"),
    /** Answered locally: hosts files, DHCP lease names, {@code address=} rules with a real address. */
    LOCAL("local"),
    /** An upstream answer was truncated. */
    TRUNCATED("truncated"),
    /** A repeated query that was already being forwarded. */
    DUPLICATE("duplicate"),
    /** DNSSEC validation failed. */
    BOGUS("bogus");

    private final String label;
    /** The label's bytes, as stored keys hold it; never handed out ({@link #copyLabel} copies them). */
    @SuppressWarnings("ImmutableEnumChecker")
    private final byte[] labelBytes;

    ReplyOutcome(String label) {
        this.label = label;
        this.labelBytes = label.getBytes(StandardCharsets.US_ASCII);
    }

    public String label() {
        return label;
    }

    /** Length of the label's bytes. */
    public int labelLength() {
        return labelBytes.length;
    }

    /** Copies the label's bytes to {@code dst} at {@code at}; returns where they end. */
    public int copyLabel(byte[] dst, int at) {
        System.arraycopy(labelBytes, 0, dst, at, labelBytes.length);
        return at + labelBytes.length;
    }
}
