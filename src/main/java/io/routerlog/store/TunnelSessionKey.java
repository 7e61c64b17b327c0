package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/** A DNSTT session: tunnel domain and the client's 8-byte ClientID. */
public final class TunnelSessionKey implements IdentifiedDataSerializable {
    private String domain;
    private long clientId;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public TunnelSessionKey() {}

    public TunnelSessionKey(String domain, long clientId) {
        this.domain = Objects.requireNonNull(domain);
        this.clientId = clientId;
    }

    public String domain() {
        return domain;
    }

    public long clientId() {
        return clientId;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TUNNEL_SESSION_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(domain);
        out.writeLong(clientId);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        domain = in.readString();
        clientId = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelSessionKey k && domain.equals(k.domain) && clientId == k.clientId;
    }

    @Override
    public int hashCode() {
        return domain.hashCode() * 31 + Long.hashCode(clientId);
    }

    @Override
    public String toString() {
        return domain + '/' + Long.toHexString(clientId);
    }
}
