package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Objects;

/**
 * Who holds an address: MAC, hostname and DHCP client id (empty when unknown), when the lease ends (0 when unknown)
 * and when this was last seen.
 *
 * <p>The words differ on purpose: a lease (the event {@code DhcpLease}) is what the DHCP server reports
 * happened; an identity is what the store keeps of it per address, updated by leases and releases
 * ({@link UpdateIdentity}) in the {@link IdentityMap}, and exported as such.
 */
public final class DhcpIdentity implements IdentifiedDataSerializable {
    private String mac;
    private String hostname;
    private String clientId;
    private long expiresAtMillis;
    private long seenAtMillis;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public DhcpIdentity() {}

    public DhcpIdentity(String mac, String hostname, long seenAtMillis) {
        this(mac, hostname, "", 0, seenAtMillis);
    }

    public DhcpIdentity(String mac, String hostname, String clientId, long expiresAtMillis, long seenAtMillis) {
        this.mac = Objects.requireNonNull(mac);
        this.hostname = Objects.requireNonNull(hostname);
        this.clientId = Objects.requireNonNull(clientId);
        this.expiresAtMillis = expiresAtMillis;
        this.seenAtMillis = seenAtMillis;
    }

    public String clientId() {
        return clientId;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public String mac() {
        return mac;
    }

    public String hostname() {
        return hostname;
    }

    public long seenAtMillis() {
        return seenAtMillis;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.DHCP_IDENTITY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(mac);
        out.writeString(hostname);
        out.writeString(clientId);
        out.writeLong(expiresAtMillis);
        out.writeLong(seenAtMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        mac = in.readString();
        hostname = in.readString();
        clientId = in.readString();
        expiresAtMillis = in.readLong();
        seenAtMillis = in.readLong();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpIdentity d
                && mac.equals(d.mac)
                && hostname.equals(d.hostname)
                && clientId.equals(d.clientId)
                && expiresAtMillis == d.expiresAtMillis
                && seenAtMillis == d.seenAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mac, hostname, clientId, expiresAtMillis, seenAtMillis);
    }

    @Override
    public String toString() {
        return mac + ' ' + hostname + " @" + seenAtMillis;
    }
}
