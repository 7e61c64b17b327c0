package io.routerlog.store;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sets or removes the identity of an address, unless the stored one was seen later (so that late or repeated
 * updates cannot undo newer ones). A removal only applies while the address still belongs to the releasing MAC.
 */
public final class UpdateIdentity implements EntryProcessor<ClientKey, DhcpIdentity, Void>, IdentifiedDataSerializable {
    private boolean release;
    private String mac;
    private String hostname;
    private String clientId;
    private long expiresAtMillis;
    private long seenAtMillis;
    private long ttlMillis;

    /** For deserialization. */
    @SuppressWarnings("NullAway.Init") // readData sets the fields
    public UpdateIdentity() {}

    private UpdateIdentity(boolean release, DhcpIdentity identity, long ttlMillis) {
        this.release = release;
        this.mac = identity.mac();
        this.hostname = identity.hostname();
        this.clientId = identity.clientId();
        this.expiresAtMillis = identity.expiresAtMillis();
        this.seenAtMillis = identity.seenAtMillis();
        this.ttlMillis = ttlMillis;
    }

    /**
     * Stores {@code identity} for its client.
     *
     * @param ttlMillis how long the identity stays without renewal; 0 for the map's retention
     */
    public static UpdateIdentity set(DhcpIdentity identity, long ttlMillis) {
        return new UpdateIdentity(false, identity, ttlMillis);
    }

    public static UpdateIdentity release(String mac, long seenAtMillis) {
        return new UpdateIdentity(true, new DhcpIdentity(mac, "", seenAtMillis), 0);
    }

    @Override
    public Void process(Map.Entry<ClientKey, DhcpIdentity> entry) {
        DhcpIdentity current = entry.getValue();
        if (current != null && current.seenAtMillis() > seenAtMillis) {
            return null;
        }
        if (release) {
            if (current != null && current.mac().equals(mac)) {
                entry.setValue(null);
            }
            return null;
        }
        DhcpIdentity identity = new DhcpIdentity(mac, hostname, clientId, expiresAtMillis, seenAtMillis);
        if (ttlMillis > 0 && entry instanceof ExtendedMapEntry<ClientKey, DhcpIdentity> extended) {
            extended.setValue(identity, ttlMillis, TimeUnit.MILLISECONDS);
        } else {
            entry.setValue(identity);
        }
        return null;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.UPDATE_IDENTITY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeBoolean(release);
        out.writeString(mac);
        out.writeString(hostname);
        out.writeString(clientId);
        out.writeLong(expiresAtMillis);
        out.writeLong(seenAtMillis);
        out.writeLong(ttlMillis);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        release = in.readBoolean();
        mac = in.readString();
        hostname = in.readString();
        clientId = in.readString();
        expiresAtMillis = in.readLong();
        seenAtMillis = in.readLong();
        ttlMillis = in.readLong();
    }
}
