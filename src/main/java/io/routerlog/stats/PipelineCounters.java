package io.routerlog.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-local counters of what the receive path saw: messages per transport, drops per reason, dnsmasq lines
 * per kind and messages per program. Written by the receive threads without locks, read by the exporter.
 */
public final class PipelineCounters {
    private final LongAdder[] messages = adders(Transport.values().length);
    private final LongAdder[] drops = adders(DropReason.values().length);
    private final LongAdder[] dnsmasqLines = adders(DnsmasqLineKind.values().length);
    private final ProgramCounts programs;
    private final LongAdder ignoredQueries = new LongAdder();

    public PipelineCounters() {
        this(ProgramCounts.DEFAULT_MAX_PROGRAMS);
    }

    public PipelineCounters(int maxPrograms) {
        this.programs = new ProgramCounts(maxPrograms);
    }

    public void message(Transport transport) {
        messages[transport.ordinal()].increment();
    }

    public void dropped(DropReason reason) {
        drops[reason.ordinal()].increment();
    }

    public void dropped(DropReason reason, long n) {
        drops[reason.ordinal()].add(n);
    }

    public void dnsmasqLine(DnsmasqLineKind kind) {
        dnsmasqLines[kind.ordinal()].increment();
    }

    /** A query for a name in {@code --ignore-domain}: counted here, stored nowhere. */
    public void ignoredQuery() {
        ignoredQueries.increment();
    }

    public long ignoredQueries() {
        return ignoredQueries.sum();
    }

    public ProgramCounts programs() {
        return programs;
    }

    public long messageCount(Transport transport) {
        return messages[transport.ordinal()].sum();
    }

    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    public long dnsmasqLineCount(DnsmasqLineKind kind) {
        return dnsmasqLines[kind.ordinal()].sum();
    }

    public Map<Transport, Long> messagesByTransport() {
        return snapshot(Transport.class, messages);
    }

    public Map<DropReason, Long> dropsByReason() {
        return snapshot(DropReason.class, drops);
    }

    public Map<DnsmasqLineKind, Long> dnsmasqLinesByKind() {
        return snapshot(DnsmasqLineKind.class, dnsmasqLines);
    }

    private static <E extends Enum<E>> Map<E, Long> snapshot(Class<E> type, LongAdder[] adders) {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, adders[e.ordinal()].sum());
        }
        return m;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
