package io.routerlog.store;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Creates routerlog's stored types by id, so that Hazelcast serializes them without reflection. */
public final class StoreSerialization implements DataSerializableFactory {
    public static final int FACTORY_ID = 0x524c; // "RL"

    static final int PAIR_KEY = 1;
    static final int MEMBER_COUNTS = 2;
    static final int ADD_TO_MEMBER_COUNTS = 3;
    static final int DHCP_IDENTITY = 4;
    static final int UPDATE_IDENTITY = 5;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case PAIR_KEY -> new PairKey();
            case MEMBER_COUNTS -> new MemberCounts();
            case ADD_TO_MEMBER_COUNTS -> new AddToMemberCounts<>();
            case DHCP_IDENTITY -> new DhcpIdentity();
            case UPDATE_IDENTITY -> new UpdateIdentity();
            default -> null;
        };
    }
}
