package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.routerlog.detect.DistinctSample;
import java.io.IOException;

/**
 * What one client asked of one registrable domain within one time bucket: queries, how many were of an unusual type,
 * NXDOMAIN replies, the bytes of the names asked, when, and a sample of the distinct names below the domain. Stats
 * merge by adding (the sample by union), so a bucket's stats are the sum of every flush that wrote to it. Mutable:
 * built on the flush thread, merged in place where stored.
 */
public final class SuspectStats implements IdentifiedDataSerializable {
    private long queries;
    private long unusual;
    private long nxdomain;
    private long unprintable;
    private long bytes;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private DistinctSample names = new DistinctSample();

    public SuspectStats() {}

    /** Counts {@code count} queries for a name of {@code nameBytes} bytes, seen at {@code nowMillis}. */
    public void query(long count, int nameBytes, boolean unusualType, long nowMillis) {
        queries += count;
        bytes += count * nameBytes;
        if (unusualType) {
            unusual += count;
        }
        seen(nowMillis);
    }

    /**
     * Counts {@code count} queries for names the resolver could not print (binary labels), of an unusual type or
     * not, seen at {@code nowMillis}: each such name is taken as distinct (nothing but a tunnel sends them).
     */
    public void unprintable(long count, boolean unusualType, long nowMillis) {
        queries += count;
        unprintable += count;
        if (unusualType) {
            unusual += count;
        }
        seen(nowMillis);
    }

    public void nxdomain(long count, long nowMillis) {
        nxdomain += count;
        seen(nowMillis);
    }

    private void seen(long nowMillis) {
        firstMillis = Math.min(firstMillis, nowMillis);
        lastMillis = Math.max(lastMillis, nowMillis);
    }

    /** Back to no queries at all, keeping the sample's arrays (so that the flush thread can reuse it). */
    public void clear() {
        queries = 0;
        unusual = 0;
        nxdomain = 0;
        unprintable = 0;
        bytes = 0;
        firstMillis = Long.MAX_VALUE;
        lastMillis = Long.MIN_VALUE;
        names.clear();
    }

    /** Adds {@code other} to this. */
    public SuspectStats add(SuspectStats other) {
        queries += other.queries;
        unusual += other.unusual;
        nxdomain += other.nxdomain;
        unprintable += other.unprintable;
        bytes += other.bytes;
        firstMillis = Math.min(firstMillis, other.firstMillis);
        lastMillis = Math.max(lastMillis, other.lastMillis);
        names.addAll(other.names);
        return this;
    }

    /** A copy with the larger count of each kind of both, the wider span and the union of the samples. */
    SuspectStats widen(SuspectStats other) {
        SuspectStats w = new SuspectStats();
        w.queries = Math.max(queries, other.queries);
        w.unusual = Math.max(unusual, other.unusual);
        w.nxdomain = Math.max(nxdomain, other.nxdomain);
        w.unprintable = Math.max(unprintable, other.unprintable);
        w.bytes = Math.max(bytes, other.bytes);
        w.firstMillis = Math.min(firstMillis, other.firstMillis);
        w.lastMillis = Math.max(lastMillis, other.lastMillis);
        w.names.addAll(names);
        w.names.addAll(other.names);
        return w;
    }

    public long queries() {
        return queries;
    }

    public long unusual() {
        return unusual;
    }

    public long nxdomain() {
        return nxdomain;
    }

    /** Queries for names the resolver could not print. */
    public long unprintable() {
        return unprintable;
    }

    /** Bytes of the query names, summed over the queries. */
    public long bytes() {
        return bytes;
    }

    public long firstMillis() {
        return firstMillis;
    }

    public long lastMillis() {
        return lastMillis;
    }

    /** The distinct names below the domain, as a sample (add to it with {@link DistinctSample#add}). */
    public DistinctSample names() {
        return names;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.SUSPECT_STATS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(queries);
        out.writeLong(unusual);
        out.writeLong(nxdomain);
        out.writeLong(unprintable);
        out.writeLong(bytes);
        out.writeLong(firstMillis);
        out.writeLong(lastMillis);
        int n = names.size();
        out.writeByte(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(names.hash(i));
            out.writeInt(names.shape(i));
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        queries = in.readLong();
        unusual = in.readLong();
        nxdomain = in.readLong();
        unprintable = in.readLong();
        bytes = in.readLong();
        firstMillis = in.readLong();
        lastMillis = in.readLong();
        int n = in.readByte() & 0xff;
        long[] hashes = new long[Math.max(4, n)];
        int[] shapes = new int[Math.max(4, n)];
        for (int i = 0; i < n; i++) {
            hashes[i] = in.readLong();
            shapes[i] = in.readInt();
        }
        names = new DistinctSample(hashes, shapes, n);
    }
}
