package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.partition.PartitionAware;
import java.io.IOException;
import java.util.Objects;

/**
 * Key of the tunnel-detection map: one client of one router, one registrable domain, one time bucket. Every key of a
 * domain lives in the same partition (the domain is the partition key), so whoever reads a partition sees all that
 * was stored of the domains in it, and can score them there.
 */
public final class SuspectKey implements IdentifiedDataSerializable, PartitionAware<String> {
    private String router;
    private String client;
    private String domain;
    private long bucketMillis;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public SuspectKey() {}

    /** @param bucketMillis the start of the bucket, in epoch milliseconds */
    public SuspectKey(String router, String client, String domain, long bucketMillis) {
        this.router = Objects.requireNonNull(router);
        this.client = Objects.requireNonNull(client);
        this.domain = Objects.requireNonNull(domain);
        this.bucketMillis = bucketMillis;
    }

    public String router() {
        return router;
    }

    public String client() {
        return client;
    }

    /** The registrable domain. */
    public String domain() {
        return domain;
    }

    public long bucketMillis() {
        return bucketMillis;
    }

    @Override
    public String getPartitionKey() {
        return domain;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.SUSPECT_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(router);
        out.writeString(client);
        out.writeString(domain);
        out.writeLong(bucketMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        router = Objects.requireNonNull(in.readString());
        client = Objects.requireNonNull(in.readString());
        domain = Objects.requireNonNull(in.readString());
        bucketMillis = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuspectKey k
                && bucketMillis == k.bucketMillis
                && router.equals(k.router)
                && client.equals(k.client)
                && domain.equals(k.domain);
    }

    @Override
    public int hashCode() {
        // no boxing: the flush thread hashes every key it writes
        return ((router.hashCode() * 31 + client.hashCode()) * 31 + domain.hashCode()) * 31
                + Long.hashCode(bucketMillis);
    }

    @Override
    public String toString() {
        return router + "/" + client + "/" + domain + "@" + bucketMillis;
    }
}
