package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/** When a client's queries were first and last counted (epoch millis, to the flush that carried them). */
public final class ClientSeen implements IdentifiedDataSerializable {
    private long firstMillis;
    private long lastMillis;

    /** For deserialization. */
    public ClientSeen() {}

    public ClientSeen(long firstMillis, long lastMillis) {
        this.firstMillis = firstMillis;
        this.lastMillis = lastMillis;
    }

    public long firstMillis() {
        return firstMillis;
    }

    public long lastMillis() {
        return lastMillis;
    }

    /** The span covering this one and {@code other}: idempotent, so a retried update changes nothing. */
    ClientSeen widen(ClientSeen other) {
        return new ClientSeen(Math.min(firstMillis, other.firstMillis), Math.max(lastMillis, other.lastMillis));
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.CLIENT_SEEN;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(firstMillis);
        out.writeLong(lastMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        firstMillis = in.readLong();
        lastMillis = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSeen s && firstMillis == s.firstMillis && lastMillis == s.lastMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(firstMillis) * 31 + Long.hashCode(lastMillis);
    }

    @Override
    public String toString() {
        return "ClientSeen{" + firstMillis + ".." + lastMillis + '}';
    }
}
