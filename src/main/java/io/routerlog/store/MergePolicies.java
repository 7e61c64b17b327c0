package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * How two copies of an entry are merged when a network partition heals. Hazelcast's stock policies keep one side's
 * value; these combine both sides so that nothing either side counted is lost.
 */
public final class MergePolicies {
    private MergePolicies() {}

    /** Base: a stateless policy that picks or builds the merged value from the two deserialized values. */
    abstract static class Stateless<V> implements SplitBrainMergePolicy<V, MergingValue<V>, Object> {
        @Override
        public Object merge(MergingValue<V> merging, MergingValue<V> existing) {
            if (existing == null) {
                return merging.getRawValue();
            }
            return combine(merging.getDeserializedValue(), existing.getDeserializedValue());
        }

        abstract Object combine(V merging, V existing);

        @Override
        public void writeData(ObjectDataOutput out) {
            // stateless
        }

        @Override
        public void readData(ObjectDataInput in) {
            // stateless
        }
    }

    /** Counters ({@link MemberCounts}): per member the larger contribution, so the sum is what both sides counted. */
    public static final class CountersByMember extends Stateless<MemberCounts> {
        @Override
        Object combine(MemberCounts merging, MemberCounts existing) {
            return existing.mergeMax(merging);
        }
    }

    /** Pair shards: per pair, each member's larger count (see {@link PairShard#mergeMax}). */
    public static final class ShardsByMember extends Stateless<PairShard> {
        @Override
        Object combine(PairShard merging, PairShard existing) {
            return existing.mergeMax(merging);
        }
    }

    /**
     * Query log chunks: the one with more entries. A chunk only grows, and only its writer appends to it, so the
     * longer copy holds everything the shorter one does.
     */
    public static final class LongerChunk extends Stateless<QueryLogChunk> {
        @Override
        Object combine(QueryLogChunk merging, QueryLogChunk existing) {
            return merging.count() > existing.count() ? merging : existing;
        }
    }

    /**
     * Tunnel-detection stats: the larger count of each kind, the wider span and the union of the name samples. Both
     * sides may hold the same copy from before they parted, so adding them would count those queries twice.
     */
    public static final class WiderSuspectStats extends Stateless<SuspectStats> {
        @Override
        Object combine(SuspectStats merging, SuspectStats existing) {
            return existing.widen(merging);
        }
    }

    /** High-water marks (Long): the larger one. */
    public static final class Highest extends Stateless<Long> {
        @Override
        Object combine(Long merging, Long existing) {
            return Math.max(merging, existing);
        }
    }

    /** DNSTT sessions: the one seen last, with the earlier first sighting and its labels. */
    public static final class LatestSession extends Stateless<TunnelSession> {
        @Override
        Object combine(TunnelSession merging, TunnelSession existing) {
            TunnelSession later = merging.lastSeenMillis() > existing.lastSeenMillis() ? merging : existing;
            TunnelSession first = merging.firstSeenMillis() < existing.firstSeenMillis() ? merging : existing;
            return new TunnelSession(
                    first.firstSeenMillis(), first.firstLabels(), later.lastSeenMillis(), later.labels());
        }
    }

    /** DHCP identities: the one seen last. */
    public static final class LatestIdentity extends Stateless<DhcpIdentity> {
        @Override
        Object combine(DhcpIdentity merging, DhcpIdentity existing) {
            return merging.seenAtMillis() > existing.seenAtMillis() ? merging : existing;
        }
    }

    /** First and last sightings of a client: the span covering both. */
    public static final class WidestSeen extends Stateless<ClientSeen> {
        @Override
        Object combine(ClientSeen merging, ClientSeen existing) {
            return existing.widen(merging);
        }
    }
}
