package io.routerlog.store;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Queries per minute over a range of minutes, summed where the activity entries live: the router totals (client
 * {@link ActivityMap#ALL_CLIENTS}) when no client is asked for, else that client's own entries; optionally of one
 * router only. The answer is one count per minute of the range, oldest first.
 */
final class ActivitySeries
        implements Aggregator<Map.Entry<LabelValuesKey, MemberCounts>, long[]>, IdentifiedDataSerializable {
    private static final long serialVersionUID = 1L;
    /** The most minutes one series covers: a day. */
    static final int MAX_MINUTES = 1440;

    private @Nullable String router;
    private @Nullable String client;
    private long fromMinute;
    private long[] counts = new long[0];

    /** For deserialization. */
    ActivitySeries() {}

    ActivitySeries(@Nullable String router, @Nullable String client, long fromMinute, int minutes) {
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("minutes must be from 1 to " + MAX_MINUTES + ": " + minutes);
        }
        this.router = router;
        this.client = client;
        this.fromMinute = fromMinute;
        this.counts = new long[minutes];
    }

    @Override
    public void accumulate(Map.Entry<LabelValuesKey, MemberCounts> entry) {
        MemberCounts c = entry.getValue();
        LabelValuesKey k = entry.getKey();
        if (c == null || k.labelCount() != 3) {
            return;
        }
        if (router != null && !router.equals(k.label(0))) {
            return;
        }
        if (!(client == null ? ActivityMap.ALL_CLIENTS : client).equals(k.label(1))) {
            return;
        }
        long minute;
        try {
            minute = Long.parseLong(k.label(2));
        } catch (NumberFormatException e) {
            return;
        }
        long i = minute - fromMinute;
        if (i >= 0 && i < counts.length) {
            counts[(int) i] += c.sum();
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // Hazelcast declares combine with a raw Aggregator
    public void combine(Aggregator aggregator) {
        long[] other = ((ActivitySeries) aggregator).counts;
        for (int i = 0; i < Math.min(other.length, counts.length); i++) {
            counts[i] += other[i];
        }
    }

    @Override
    public long[] aggregate() {
        return counts.clone();
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.ACTIVITY_SERIES;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(router);
        out.writeString(client);
        out.writeLong(fromMinute);
        out.writeLongArray(counts);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        router = in.readString();
        client = in.readString();
        fromMinute = in.readLong();
        long[] c = in.readLongArray();
        if (c == null || c.length > MAX_MINUTES) {
            throw new IOException("implausible series of " + (c == null ? "no" : c.length) + " minutes");
        }
        counts = c;
    }
}
