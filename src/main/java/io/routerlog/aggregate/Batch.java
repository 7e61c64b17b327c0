package io.routerlog.aggregate;

import io.routerlog.event.DhcpEvent;
import io.routerlog.event.ReplyOutcome;
import java.util.ArrayList;
import java.util.List;

/** What one receive thread saw between two flushes. */
final class Batch {
    final PairCounts pairs;
    final TunnelCounts tunnels;
    final long[] outcomes = new long[ReplyOutcome.values().length];
    final List<DhcpEvent> dhcp = new ArrayList<>();

    Batch(int pairCapacity, ClientAnonymizer anonymizer) {
        this.pairs = new PairCounts(pairCapacity, anonymizer);
        this.tunnels = new TunnelCounts(Math.min(pairCapacity, 65536));
    }
}
