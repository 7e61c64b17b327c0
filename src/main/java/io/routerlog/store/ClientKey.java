package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/**
 * A client address as one router knows it. Routers of one household may hand out the same addresses, so what is
 * kept per client (its DHCP identity, when it was seen) is kept per (router, address).
 */
public final class ClientKey implements IdentifiedDataSerializable {
    private String router;
    private String client;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public ClientKey() {}

    public ClientKey(String router, String client) {
        this.router = Objects.requireNonNull(router);
        this.client = Objects.requireNonNull(client);
    }

    public String router() {
        return router;
    }

    public String client() {
        return client;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.CLIENT_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(router);
        out.writeString(client);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        router = in.readString();
        client = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKey k && router.equals(k.router) && client.equals(k.client);
    }

    @Override
    public int hashCode() {
        return router.hashCode() * 31 + client.hashCode();
    }

    @Override
    public String toString() {
        return router + ' ' + client;
    }
}
