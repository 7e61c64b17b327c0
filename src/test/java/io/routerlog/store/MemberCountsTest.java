package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class MemberCountsTest {
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final UUID C = new UUID(0, 3);

    @Test
    void eachMemberAddsToItsOwnContributionAndTheValueIsTheirSum() {
        MemberCounts c = MemberCounts.of(A, 5).plus(B, 3).plus(A, 2);
        assertThat(c.contributionOf(A)).isEqualTo(7);
        assertThat(c.contributionOf(B)).isEqualTo(3);
        assertThat(c.contributionOf(C)).isZero();
        assertThat(c.sum()).isEqualTo(10);
        assertThat(c.memberCount()).isEqualTo(2);
    }

    @Test
    void plusLeavesTheOriginalUnchanged() {
        MemberCounts c = MemberCounts.of(A, 1);
        MemberCounts d = c.plus(A, 1);
        assertThat(c.sum()).isEqualTo(1);
        assertThat(d.sum()).isEqualTo(2);
    }

    @Test
    void mergingTwoDivergedCopiesGivesWhatBothSidesCounted() {
        // before a split both sides hold A=10, B=4
        MemberCounts before = MemberCounts.of(A, 10).plus(B, 4);
        MemberCounts sideA = before.plus(A, 6); // A kept counting on its side
        MemberCounts sideB = before.plus(B, 5).plus(C, 2); // B and a new member C on the other
        MemberCounts merged = sideA.mergeMax(sideB);
        assertThat(merged.sum()).isEqualTo(10 + 4 + 6 + 5 + 2);
        assertThat(sideB.mergeMax(sideA).sum()).isEqualTo(merged.sum());
        assertThat(merged.mergeMax(merged).sum()).as("merging is idempotent").isEqualTo(merged.sum());
    }

    @Test
    void aRepeatedFlushIsAppliedOnce() {
        MemberCounts c = MemberCounts.of(A, 5, 1).plus(A, 3, 2);
        assertThat(c.plus(A, 3, 2)).as("flush 2 again").isSameAs(c);
        assertThat(c.plus(A, 9, 1).sum()).as("an older flush").isEqualTo(8);
        assertThat(c.plus(A, 1, 3).sum()).isEqualTo(9);
        assertThat(c.plus(B, 4, 2).sum()).as("flush numbers are per member").isEqualTo(12);
    }

    @Test
    void mergingKeepsTheLatestFlushOfEachMember() {
        MemberCounts before = MemberCounts.of(A, 10, 4);
        MemberCounts sideA = before.plus(A, 6, 5);
        MemberCounts merged = before.mergeMax(sideA);
        assertThat(merged.sum()).isEqualTo(16);
        assertThat(merged.plus(A, 6, 5).sum()).as("flush 5 is already in").isEqualTo(16);
    }
}
