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
 * <p>Each contribution also remembers the sequence number of the last flush added to it, so that a flush that
 * Hazelcast retries (its primary died after applying it, say) is not counted twice.
 *
 * <p>{@link #plus} returns a new instance; {@link #addInPlace} changes this one (for the store's entry processor,
 * which owns the stored object: no new value per update means no garbage per counter per flush).
 */
public final class MemberCounts implements IdentifiedDataSerializable {
    private UUID[] members;
    private long[] counts;
    private long[] flushes;

    /** For deserialization. */
    public MemberCounts() {
        this(new UUID[0], new long[0], new long[0]);
    }

    private MemberCounts(UUID[] members, long[] counts, long[] flushes) {
        this.members = members;
        this.counts = counts;
        this.flushes = flushes;
    }

    public static MemberCounts of(UUID member, long count) {
        return of(member, count, 0);
    }

    public static MemberCounts of(UUID member, long count, long flush) {
        return new MemberCounts(new UUID[] {member}, new long[] {count}, new long[] {flush});
    }

    /** This counter with {@code delta} added to {@code member}'s contribution. */
    public MemberCounts plus(UUID member, long delta) {
        int i = indexOf(member);
        return plus(member, delta, i < 0 ? 0 : flushes[i]);
    }

    /**
     * This counter with {@code delta} added to {@code member}'s contribution by flush number {@code flush}, or
     * unchanged when that member's contribution already holds this flush or a later one.
     */
    public MemberCounts plus(UUID member, long delta, long flush) {
        int i = indexOf(member);
        if (i >= 0) {
            if (flush != 0 && flush <= flushes[i]) {
                return this;
            }
            long[] c = counts.clone();
            long[] f = flushes.clone();
            c[i] += delta;
            f[i] = Math.max(f[i], flush);
            return new MemberCounts(members, c, f);
        }
        UUID[] m = Arrays.copyOf(members, members.length + 1);
        long[] c = Arrays.copyOf(counts, counts.length + 1);
        long[] f = Arrays.copyOf(flushes, flushes.length + 1);
        m[members.length] = member;
        c[counts.length] = delta;
        f[flushes.length] = flush;
        return new MemberCounts(m, c, f);
    }

    /**
     * Like {@link #plus}, but adds to this instance when {@code member} already has a contribution (only its count
     * and flush change, so a reader summing at the same time sees the old or the new count). A new member still
     * gets a new instance. Returns the instance that holds the result.
     */
    public MemberCounts addInPlace(UUID member, long delta, long flush) {
        int i = indexOf(member);
        if (i < 0) {
            return plus(member, delta, flush);
        }
        if (flush != 0 && flush <= flushes[i]) {
            return this;
        }
        counts[i] += delta;
        flushes[i] = Math.max(flushes[i], flush);
        return this;
    }

    /** True when {@code member}'s contribution already holds flush number {@code flush} or a later one. */
    public boolean hasApplied(UUID member, long flush) {
        int i = indexOf(member);
        return flush != 0 && i >= 0 && flush <= flushes[i];
    }

    /** The exact merge of two copies of one counter: per member, the larger contribution (and its flush). */
    public MemberCounts mergeMax(MemberCounts other) {
        UUID[] m = members;
        long[] c = counts;
        long[] f = flushes;
        for (int j = 0; j < other.members.length; j++) {
            int i = -1;
            for (int k = 0; k < m.length; k++) {
                if (m[k].equals(other.members[j])) {
                    i = k;
                    break;
                }
            }
            if (i < 0) {
                m = Arrays.copyOf(m, m.length + 1);
                c = Arrays.copyOf(c, c.length + 1);
                f = Arrays.copyOf(f, f.length + 1);
                i = m.length - 1;
                m[i] = other.members[j];
            } else if (c == counts) {
                c = c.clone();
                f = f.clone();
            }
            if (other.counts[j] > c[i]) {
                c[i] = other.counts[j];
            }
            f[i] = Math.max(f[i], other.flushes[j]);
        }
        return new MemberCounts(m, c, f);
    }

    private int indexOf(UUID member) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].equals(member)) {
                return i;
            }
        }
        return -1;
    }

    public long contributionOf(UUID member) {
        int i = indexOf(member);
        return i < 0 ? 0 : counts[i];
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
            out.writeLong(flushes[i]);
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
        flushes = new long[n];
        for (int i = 0; i < n; i++) {
            members[i] = new UUID(in.readLong(), in.readLong());
            counts[i] = in.readLong();
            flushes[i] = in.readLong();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberCounts m
                && Arrays.equals(members, m.members)
                && Arrays.equals(counts, m.counts)
                && Arrays.equals(flushes, m.flushes);
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
