package io.routerlog.parser;

import io.routerlog.stats.ProgramCounts;
import org.jspecify.annotations.Nullable;

/**
 * Counts every message by program and gives the ones that have a parser to it: {@code dnsmasq} and
 * {@code dnsmasq-dhcp} to {@link DnsmasqParser}, {@code kernel} to {@link FirewallLogParser}, {@code haproxy} to
 * {@link HaproxyLogParser}. Everything else is only counted.
 *
 * <p>The router of a dnsmasq message is its syslog HOSTNAME, or the sender's address when it has none (or when
 * {@code --router-label sender} asks for the address always).
 */
public final class MessageRouter implements SyslogMessageSink {
    private final ProgramCounts.Local programs;
    private final DnsmasqParser dnsmasq;
    private final @Nullable FirewallLogParser firewall;
    private final @Nullable HaproxyLogParser haproxy;
    private final boolean routerIsSender;

    /** Routes dnsmasq messages only. */
    public MessageRouter(ProgramCounts.Local programs, DnsmasqParser dnsmasq) {
        this(programs, dnsmasq, null, null, false);
    }

    /**
     * Routes dnsmasq messages, and kernel and HAProxy messages to the parsers given.
     *
     * @param firewall kernel LOG lines, or null
     * @param haproxy  HAProxy request logs, or null
     * @param routerIsSender the router of a message is always its sender's address, never its HOSTNAME
     */
    public MessageRouter(
            ProgramCounts.Local programs,
            DnsmasqParser dnsmasq,
            @Nullable FirewallLogParser firewall,
            @Nullable HaproxyLogParser haproxy,
            boolean routerIsSender) {
        this.programs = programs;
        this.dnsmasq = dnsmasq;
        this.firewall = firewall;
        this.haproxy = haproxy;
        this.routerIsSender = routerIsSender;
    }

    @Override
    public void message(SyslogMessage m) {
        programs.count(m.buf(), m.programOffset(), m.programLength());
        if (m.programIs("dnsmasq") || m.programIs("dnsmasq-dhcp")) {
            if (!routerIsSender && m.hostnameLength() > 0) {
                dnsmasq.router(m.buf(), m.hostnameOffset(), m.hostnameLength());
            } else {
                dnsmasq.router(m.senderBuf(), 0, m.senderLength());
            }
            dnsmasq.parse(m.buf(), m.messageOffset(), m.messageLength());
        } else if (firewall != null && m.programIs("kernel")) {
            firewall.parse(m.buf(), m.messageOffset(), m.messageLength());
        } else if (haproxy != null && m.programIs("haproxy")) {
            haproxy.parse(m.buf(), m.messageOffset(), m.messageLength());
        }
    }
}
