package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/**
 * The labels of a DNSTT metric: tunnel domain, and the country and AS of the address that sent the query
 * ({@link #NO_COUNTRY} and {@link #NO_ASN} when that GeoIP database is not configured).
 */
public final class TunnelLabels implements IdentifiedDataSerializable {
    public static final String NO_COUNTRY = "";
    public static final long NO_ASN = -1;

    private String domain;
    private String country;
    private long asn;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public TunnelLabels() {}

    public TunnelLabels(String domain, String country, long asn) {
        this.domain = Objects.requireNonNull(domain);
        this.country = Objects.requireNonNull(country);
        this.asn = asn;
    }

    public String domain() {
        return domain;
    }

    public String country() {
        return country;
    }

    public long asn() {
        return asn;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.TUNNEL_LABELS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(domain);
        out.writeString(country);
        out.writeLong(asn);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        domain = in.readString();
        country = in.readString();
        asn = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelLabels l && domain.equals(l.domain) && country.equals(l.country) && asn == l.asn;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, country, asn);
    }

    @Override
    public String toString() {
        return domain + '/' + country + "/AS" + asn;
    }
}
