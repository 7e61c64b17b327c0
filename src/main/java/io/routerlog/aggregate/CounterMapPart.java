package io.routerlog.aggregate;

import io.routerlog.store.CounterMap;
import io.routerlog.store.LabelValuesKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The stream of one counter map: pending deltas per key. {@link CounterMap#add} removes what the store confirmed,
 * so after a failure only the unconfirmed deltas are written again, and none twice.
 */
final class CounterMapPart<K> implements FlushPart {
    private final CounterMap<K> map;
    private final BiConsumer<Batch, Map<K, Long>> drain;
    private final int bound;
    private final boolean countsMessages;
    private final Map<K, Long> pending = new HashMap<>();

    /**
     * @param drain          moves the batch's counts of this map into the pending deltas, leaving none in the batch
     * @param bound          the most pending keys kept while the store is away
     * @param countsMessages whether giving up counts the deltas as dropped messages (not when the same messages
     *                       are counted by another part)
     */
    CounterMapPart(CounterMap<K> map, BiConsumer<Batch, Map<K, Long>> drain, int bound, boolean countsMessages) {
        this.map = map;
        this.drain = drain;
        this.bound = bound;
        this.countsMessages = countsMessages;
    }

    /** A part for counts the batch keeps per label values in a plain map (firewall, HTTP, long names). */
    static CounterMapPart<LabelValuesKey> ofLabels(
            CounterMap<LabelValuesKey> map,
            Function<Batch, Map<LabelValuesKey, long[]>> counts,
            int bound,
            boolean countsMessages) {
        return new CounterMapPart<>(
                map,
                (batch, pending) -> {
                    Map<LabelValuesKey, long[]> c = counts.apply(batch);
                    c.forEach((k, n) -> pending.merge(k, n[0], Long::sum));
                    c.clear();
                },
                bound,
                countsMessages);
    }

    /** Keys waiting for the store. */
    int pending() {
        return pending.size();
    }

    @Override
    public void collect(Batch batch) {
        drain.accept(batch, pending);
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        map.add(pending, timeoutMillis);
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() > bound) {
            long lost = 0;
            for (long c : pending.values()) {
                lost += c;
            }
            giveUp.gaveUp(map.name(), pending.size(), countsMessages ? lost : 0);
            pending.clear();
        }
    }
}
