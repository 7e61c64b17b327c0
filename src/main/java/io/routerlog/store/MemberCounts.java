package io.routerlog.store;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;

/**
 * A counter stored as one contribution per member that counted into it; its value is their sum. Each member only
 * ever adds to its own contribution, so two copies of the same counter (for example the two sides of a healed
 * network partition) can be merged exactly by taking, per member, the larger contribution.
 *
 * <p>Immutable: {@link #plus} returns a new instance.
 */
public final class MemberCounts implements IdentifiedDataSerializable {
    private UUID[] members;
    private long[] counts;

    /** For deserialization. */
    public MemberCounts() {
        this(new UUID[0], new long[0]);
    }

    private MemberCounts(UUID[] members, long[] counts) {
        this.members = members;
        this.counts = counts;
    }

    public static MemberCounts of(UUID member, long count) {
        return new MemberCounts(new UUID[] {member}, new long[] {count});
    }

    /** This counter with {@code delta} added to {@code member}'s contribution. */
    public MemberCounts plus(UUID member, long delta) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].equals(member)) {
                long[] c = counts.clone();
                c[i] += delta;
                return new MemberCounts(members, c);
            }
        }
        UUID[] m = Arrays.copyOf(members, members.length + 1);
        long[] c = Arrays.copyOf(counts, counts.length + 1);
        m[members.length] = member;
        c[counts.length] = delta;
        return new MemberCounts(m, c);
    }

    /** The exact merge of two copies of one counter: per member, the larger contribution. */
    public MemberCounts mergeMax(MemberCounts other) {
        MemberCounts result = this;
        for (int j = 0; j < other.members.length; j++) {
            long mine = result.contributionOf(other.members[j]);
            if (other.counts[j] > mine) {
                result = result.plus(other.members[j], other.counts[j] - mine);
            }
        }
        return result;
    }

    public long contributionOf(UUID member) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].equals(member)) {
                return counts[i];
            }
        }
        return 0;
    }

    public int memberCount() {
        return members.length;
    }

    public long sum() {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    @Override
    public int getFactoryId() {
        return StoreSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return StoreSerialization.MEMBER_COUNTS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(members.length);
        for (int i = 0; i < members.length; i++) {
            out.writeLong(members[i].getMostSignificantBits());
            out.writeLong(members[i].getLeastSignificantBits());
            out.writeLong(counts[i]);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 65536) {
            throw new IOException("implausible member count " + n);
        }
        members = new UUID[n];
        counts = new long[n];
        for (int i = 0; i < n; i++) {
            members[i] = new UUID(in.readLong(), in.readLong());
            counts[i] = in.readLong();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberCounts m && Arrays.equals(members, m.members) && Arrays.equals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(members) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "MemberCounts{sum=" + sum() + ", members=" + members.length + '}';
    }
}
