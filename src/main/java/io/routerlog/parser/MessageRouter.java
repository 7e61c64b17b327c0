package io.routerlog.parser;

import io.routerlog.stats.ProgramCounts;
import io.routerlog.syslog.MessageSink;
import io.routerlog.syslog.SyslogMessage;

/**
 * Counts every message by program and gives the ones that have a parser to it: {@code dnsmasq} and
 * {@code dnsmasq-dhcp} to {@link DnsmasqParser}. Everything else is only counted.
 */
public final class MessageRouter implements MessageSink {
    private final ProgramCounts.Local programs;
    private final DnsmasqParser dnsmasq;

    public MessageRouter(ProgramCounts.Local programs, DnsmasqParser dnsmasq) {
        this.programs = programs;
        this.dnsmasq = dnsmasq;
    }

    @Override
    public void message(SyslogMessage m) {
        programs.count(m.buf(), m.programOffset(), m.programLength());
        if (m.programIs("dnsmasq") || m.programIs("dnsmasq-dhcp")) {
            dnsmasq.parse(m.buf(), m.messageOffset(), m.messageLength());
        }
    }
}
