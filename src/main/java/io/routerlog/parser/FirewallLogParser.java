package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.IpText;
import io.routerlog.event.EventSink;
import io.routerlog.event.FirewallPacket;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;

/**
 * Reads the kernel's firewall LOG lines as OpenWrt sends them:
 * {@code [ 1234.567890] PREFIX IN=br-wan OUT= MAC=... SRC=... DST=... LEN=... ... PROTO=TCP SPT=... DPT=...}.
 * Other kernel messages are left alone; a LOG line without source, destination or protocol (cut short, say), or
 * whose source or destination is not an address, is counted as {@code bad_firewall_line}.
 */
public final class FirewallLogParser {
    /** Longer than any prefix iptables or nftables allows (29 and 127 characters). */
    static final int MAX_PREFIX = 128;

    static final int MAX_FIELD = 64;

    private final EventSink sink;
    private final PipelineCounters counters;

    public FirewallLogParser(EventSink sink, PipelineCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    public void parse(byte[] b, int off, int len) {
        int in = Bytes.indexOf(b, off, off + len, "IN=");
        if (in < 0 || (in > off && b[in - 1] != ' ')) {
            return; // not a LOG line
        }
        String line = Bytes.raw(b, off, len);
        int at = in - off;
        String head = line.substring(0, at).strip();
        if (head.startsWith("[")) {
            int close = head.indexOf(']');
            head = close < 0 ? head : head.substring(close + 1).strip();
        }
        String src = null;
        String dst = null;
        String proto = null;
        String dport = "";
        for (String token : line.substring(at).split(" ")) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = token.substring(0, eq);
            String value = token.substring(eq + 1);
            switch (key) {
                case "SRC" -> src = value;
                case "DST" -> dst = value;
                case "PROTO" -> proto = value;
                case "DPT" -> dport = value;
                default -> {}
            }
        }
        if (src == null
                || dst == null
                || proto == null
                || src.isEmpty()
                || dst.isEmpty()
                || proto.isEmpty()
                || head.length() > MAX_PREFIX
                || src.length() > MAX_FIELD
                || dst.length() > MAX_FIELD
                || proto.length() > MAX_FIELD
                || dport.length() > MAX_FIELD
                || !IpText.isAddress(src)
                || !IpText.isAddress(dst)) {
            counters.dropped(DropReason.BAD_FIREWALL_LINE);
            return;
        }
        sink.firewallPacket(new FirewallPacket(head, src, dst, proto, dport));
    }
}
