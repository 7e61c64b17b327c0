package io.routerlog.store;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.jspecify.annotations.Nullable;

/** Creates routerlog's stored types by id, so that Hazelcast serializes them without reflection. */
public final class StoreSerialization implements DataSerializableFactory {
    public static final int FACTORY_ID = 0x524c; // "RL"

    // the numbers are part of the wire format between members: a class may be renamed, its number never changes
    static final int PAIR_KEY = 1;
    static final int MEMBER_COUNTS = 2;
    static final int ADD_TO_MEMBER_COUNTS = 3;
    static final int DHCP_IDENTITY = 4;
    static final int UPDATE_IDENTITY = 5;
    static final int TUNNEL_LABELS = 6;
    static final int TUNNEL_COUNTER_KEY = 7;
    static final int TUNNEL_SESSION_KEY = 8;
    static final int TUNNEL_SESSION = 9;
    static final int TOUCH_TUNNEL_SESSION = 10;
    static final int RAISE_TO = 11;
    static final int TUNNEL_SESSION_COUNTS = 12;
    static final int LABEL_VALUES_KEY = 13;
    static final int PACKED_COUNTERS = 14;
    static final int PACKING_AGGREGATOR = 15;
    static final int CLIENT_KEY = 16;
    static final int QUERY_LOG_CHUNK_KEY = 30;
    static final int QUERY_LOG_CHUNK = 31;
    static final int APPEND_TO_CHUNK = 32;
    static final int QUERY_LOG_SEARCH = 33;
    static final int QUERY_LOG_HEADS = 34;
    static final int QUERY_LOG_OF_WRITER = 35;
    static final int QUERY_LOG_OLDER_THAN = 36;
    static final int RETIRE_CHUNK = 37;
    // 40-49: the query API's aggregations and the clients' first and last sightings
    static final int PAIR_GROUPS = 40;
    static final int CLIENT_USAGE = 42;
    static final int PAIR_TOTALS = 43;
    static final int CLIENT_SEEN = 44;
    // 45: a client's span widened one key at a time, replaced by 46
    static final int WIDEN_SEEN = 46;
    // 50-59: tunnel detection
    static final int SUSPECT_KEY = 50;
    static final int SUSPECT_STATS = 51;
    static final int MERGE_SUSPECT_STATS = 52;
    static final int SUSPECT_SEARCH = 53;
    // 60-69: the web page's series
    static final int ACTIVITY_SERIES = 60;
    static final int TOP_COUNTERS = 61;
    static final int RECENT_SESSIONS = 62;
    static final int PAIR_OVERVIEW = 63;

    static final int PAIR_SHARD = 70;
    static final int ADD_TO_SHARD = 71;
    static final int SWEEP_SHARD = 72;
    static final int SHARD_PACKING = 73;
    static final int SHARD_SIZE = 74;
    static final int GET_FROM_SHARD = 75;

    @Override
    public @Nullable IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case PAIR_KEY -> new PairKey();
            case MEMBER_COUNTS -> new MemberCounts();
            case ADD_TO_MEMBER_COUNTS -> new AddToMemberCounts<>();
            case DHCP_IDENTITY -> new DhcpIdentity();
            case UPDATE_IDENTITY -> new UpdateIdentity();
            case TUNNEL_LABELS -> new TunnelLabels();
            case TUNNEL_COUNTER_KEY -> new TunnelCounterKey();
            case TUNNEL_SESSION_KEY -> new TunnelSessionKey();
            case TUNNEL_SESSION -> new TunnelSession();
            case TOUCH_TUNNEL_SESSION -> new TouchTunnelSession();
            case RAISE_TO -> new RaiseTo();
            case TUNNEL_SESSION_COUNTS -> new TunnelSessionCounts();
            case LABEL_VALUES_KEY -> new LabelValuesKey();
            case PACKED_COUNTERS -> new PackedCounters();
            case PACKING_AGGREGATOR -> new PackingAggregator<>();
            case CLIENT_KEY -> new ClientKey();
            case QUERY_LOG_CHUNK_KEY -> new QueryLogChunkKey();
            case QUERY_LOG_CHUNK -> new QueryLogChunk();
            case APPEND_TO_CHUNK -> new AppendToChunk();
            case QUERY_LOG_SEARCH -> new QueryLogSearch();
            case QUERY_LOG_HEADS -> new QueryLogHeads();
            case QUERY_LOG_OF_WRITER -> new QueryLogPredicates.OfWriter();
            case QUERY_LOG_OLDER_THAN -> new QueryLogPredicates.OlderThan();
            case RETIRE_CHUNK -> new RetireChunk();
            case PAIR_GROUPS -> new PairGroups();
            case CLIENT_USAGE -> new ClientUsage();
            case PAIR_TOTALS -> new PairTotals();
            case CLIENT_SEEN -> new ClientSeen();
            case WIDEN_SEEN -> new WidenSeen();
            case SUSPECT_KEY -> new SuspectKey();
            case SUSPECT_STATS -> new SuspectStats();
            case MERGE_SUSPECT_STATS -> new MergeSuspectStats();
            case SUSPECT_SEARCH -> new SuspectSearch();
            case ACTIVITY_SERIES -> new ActivitySeries();
            case TOP_COUNTERS -> new TopCounters<>();
            case RECENT_SESSIONS -> new RecentSessions();
            case PAIR_OVERVIEW -> new PairOverview();
            case PAIR_SHARD -> new PairShard();
            case ADD_TO_SHARD -> new AddToShard();
            case SWEEP_SHARD -> new SweepShard();
            case SHARD_PACKING -> new ShardPacking();
            case SHARD_SIZE -> new ShardSize();
            case GET_FROM_SHARD -> new GetFromShard();
            default -> null;
        };
    }
}
