package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/** Key of the query-count map: which client asked for which domain with which query type. */
public final class PairKey implements IdentifiedDataSerializable, LabelledKey {
    private String client;
    private String domain;
    private String qtype;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public PairKey() {}

    public PairKey(String client, String domain, String qtype) {
        this.client = Objects.requireNonNull(client);
        this.domain = Objects.requireNonNull(domain);
        this.qtype = Objects.requireNonNull(qtype);
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
        return 3;
    }

    @Override
    public String label(int i) {
        return switch (i) {
            case 0 -> client;
            case 1 -> domain;
            case 2 -> qtype;
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
        out.writeString(client);
        out.writeString(domain);
        out.writeString(qtype);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        client = in.readString();
        domain = in.readString();
        qtype = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairKey k && client.equals(k.client) && domain.equals(k.domain) && qtype.equals(k.qtype);
    }

    @Override
    public int hashCode() {
        return (client.hashCode() * 31 + domain.hashCode()) * 31 + qtype.hashCode();
    }

    @Override
    public String toString() {
        return client + ' ' + domain + ' ' + qtype;
    }
}
