package io.routerlog.aggregate;

import io.routerlog.store.CounterMap;
import io.routerlog.store.CounterWriter;
import io.routerlog.store.LabelValuesKey;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The stream of one counter map: pending deltas per key. {@link CounterMap#addKeepingKeys} sets what the store
 * confirmed to 0, so after a failure only the unconfirmed deltas are written again, and none twice. Keys at 0 stay
 * for the next flush (a steady working set then makes no map entry per key and flush) until they are more than
 * half of the map.
 */
final class CounterMapPart<K> implements FlushPart {
    private final CounterWriter<K> map;
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
    CounterMapPart(CounterWriter<K> map, BiConsumer<Batch, Map<K, Long>> drain, int bound, boolean countsMessages) {
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
        int n = 0;
        for (long c : pending.values()) {
            if (c != 0) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void collect(Batch batch) {
        drain.accept(batch, pending);
    }

    @Override
    public void write(long nowMillis, long timeoutMillis) {
        int size = pending.size();
        map.addKeepingKeys(pending, timeoutMillis);
        // only after a write the store took: the keys at 0 are those it confirmed (this flush's or earlier ones)
        if (size > 1024 && 2 * pending() < size) {
            pending.values().removeIf(c -> c == 0);
        }
    }

    @Override
    public void giveUpBeyondBound(GiveUp giveUp) {
        if (pending.size() > bound) {
            pending.values().removeIf(c -> c == 0);
        }
        if (pending.size() > bound) {
            long lost = 0;
            for (long c : pending.values()) {
                lost += c;
            }
            giveUp.gaveUp(map.name(), pending(), countsMessages ? lost : 0);
            pending.clear();
        }
    }
}
