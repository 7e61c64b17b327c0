package io.routerlog.aggregate;

import io.routerlog.event.ReplyOutcome;
import io.routerlog.store.CounterMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The stream of reply outcomes: one pending count per outcome. There are only a handful of outcomes, so nothing
 * here ever outgrows a bound; while the store is away the counts simply add up.
 */
final class ReplyOutcomePart implements FlushPart {
    private final CounterMap<String> map;
    private final long[] pending = new long[ReplyOutcome.values().length];

    ReplyOutcomePart(CounterMap<String> map) {
        this.map = map;
    }

    @Override
    public void collect(Batch batch) {
        for (int i = 0; i < pending.length; i++) {
            pending[i] += batch.outcomes[i];
            batch.outcomes[i] = 0;
        }
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        Map<String, Long> outcomes = new HashMap<>();
        for (ReplyOutcome o : ReplyOutcome.values()) {
            if (pending[o.ordinal()] != 0) {
                outcomes.put(o.label(), pending[o.ordinal()]);
            }
        }
        try {
            map.add(outcomes, timeoutMillis);
        } finally {
            // add() left what the store did not confirm
            for (ReplyOutcome o : ReplyOutcome.values()) {
                pending[o.ordinal()] = outcomes.getOrDefault(o.label(), 0L);
            }
        }
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        // bounded by the number of outcomes
    }
}
