package io.routerlog.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One DNS query as a client sent it to the router, for traffic generators: when, from which address, the name, the
 * query type, and {@code pattern}, the name of what produced it (ground truth for a detector's tests, never part of a
 * log line).
 */
public record DnsQuery(Instant time, String client, String name, String qtype, String pattern) {
    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Comparator<DnsQuery> BY_TIME = Comparator.comparing(DnsQuery::time);

    /** What dnsmasq logs for it with plain {@code log-queries}: {@code query[TXT] NAME from 192.168.1.7}. */
    public String logMessage() {
        return "query[" + qtype + "] " + name + " from " + client;
    }

    /** What dnsmasq logs with {@code log-queries=extra}: serial and client address/port first. */
    public String extraLogMessage(int serial, int port) {
        return serial + " " + client + "/" + port + " " + logMessage();
    }

    /** A whole syslog message as OpenWrt's logd sends it, its time in UTC. */
    public String syslogLine() {
        return "<30>" + SYSLOG_TIME.format(time) + " OpenWrt dnsmasq[1]: " + logMessage();
    }

    /** The registrable-looking suffix under which {@code pattern} made it: the last {@code labels} labels. */
    public String suffix(int labels) {
        String[] parts = name.split("\\.", -1);
        int from = Math.max(0, parts.length - labels);
        return String.join(".", List.of(parts).subList(from, parts.length));
    }

    /** All queries of the lists, in time order; queries at the same instant keep the order of the lists. */
    @SafeVarargs
    public static List<DnsQuery> merge(Collection<DnsQuery>... lists) {
        List<DnsQuery> all = new ArrayList<>();
        for (Collection<DnsQuery> l : lists) {
            all.addAll(l);
        }
        all.sort(BY_TIME);
        return all;
    }
}
