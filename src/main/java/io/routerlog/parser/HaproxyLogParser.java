package io.routerlog.parser;

import io.routerlog.bytes.Bytes;
import io.routerlog.event.EventSink;
import io.routerlog.event.HttpRequest;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;

/**
 * Reads HAProxy's HTTP request logs ({@code option httplog}):
 * {@code CLIENT:PORT [DATE] FRONTEND BACKEND/SERVER Tq/Tw/Tc/Tr/Ta STATUS BYTES ...}. The client address is
 * everything before the last colon (IPv6 addresses are logged without brackets). Other HAProxy messages (start-up,
 * TCP logs with three timers) are left alone; a request log cut short is counted as {@code bad_http_line}.
 */
public final class HaproxyLogParser {
    static final int MAX_FIELD = 128;

    private final EventSink sink;
    private final PipelineCounters counters;

    public HaproxyLogParser(EventSink sink, PipelineCounters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    public void parse(byte[] b, int off, int len) {
        String line = Bytes.raw(b, off, len).strip();
        String[] t = line.split(" +", 8);
        if (t.length < 2 || !t[1].startsWith("[") || t[0].lastIndexOf(':') <= 0) {
            return; // not a request log
        }
        if (t.length >= 5 && t[4].split("/").length == 3) {
            return; // option tcplog: no HTTP status
        }
        if (t.length < 7
                || !t[1].endsWith("]")
                || t[3].indexOf('/') <= 0
                || t[4].split("/").length != 5
                || !t[5].matches("-1|\\d{3}")) {
            counters.dropped(DropReason.BAD_HTTP_LINE);
            return;
        }
        String client = t[0].substring(0, t[0].lastIndexOf(':'));
        String frontend = t[2].endsWith("~") ? t[2].substring(0, t[2].length() - 1) : t[2];
        String backend = t[3].substring(0, t[3].indexOf('/'));
        if (client.length() > MAX_FIELD || frontend.length() > MAX_FIELD || backend.length() > MAX_FIELD) {
            counters.dropped(DropReason.BAD_HTTP_LINE);
            return;
        }
        sink.httpRequest(new HttpRequest(client, frontend, backend, t[5]));
    }
}
