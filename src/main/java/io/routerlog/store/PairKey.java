package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/**
 * Key of the query-count map: which client of which router asked for which domain with which query type. Two routers
 * may hand out the same client addresses, so the router is part of the key.
 */
public final class PairKey implements IdentifiedDataSerializable, LabelledKey {
    private String router;
    private String client;
    private String domain;
    private String qtype;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public PairKey() {}

    public PairKey(String router, String client, String domain, String qtype) {
        this.router = Objects.requireNonNull(router);
        this.client = Objects.requireNonNull(client);
        this.domain = Objects.requireNonNull(domain);
        this.qtype = Objects.requireNonNull(qtype);
    }

    /** The router that logged (or, for packets, answered) the query. */
    public String router() {
        return router;
    }

    public String client() {
        return client;
    }

    public String domain() {
        return domain;
    }

    public String qtype() {
        return qtype;
    }

    @Override
    public int labelCount() {
        return 4;
    }

    @Override
    public String label(int i) {
        return switch (i) {
            case 0 -> router;
            case 1 -> client;
            case 2 -> domain;
            case 3 -> qtype;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.PAIR_KEY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(router);
        out.writeString(client);
        out.writeString(domain);
        out.writeString(qtype);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        router = in.readString();
        client = in.readString();
        domain = in.readString();
        qtype = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairKey k
                && router.equals(k.router)
                && client.equals(k.client)
                && domain.equals(k.domain)
                && qtype.equals(k.qtype);
    }

    @Override
    public int hashCode() {
        return ((router.hashCode() * 31 + client.hashCode()) * 31 + domain.hashCode()) * 31 + qtype.hashCode();
    }

    @Override
    public String toString() {
        return router + ' ' + client + ' ' + domain + ' ' + qtype;
    }
}
