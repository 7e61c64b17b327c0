package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The arrays kept for query log chunks: bounded, zeroed, handed out again. */
class ChunkArraysTest {
    @AfterEach
    void letGo() {
        ChunkArrays.clear();
    }

    @Test
    void keepsNoMoreThanItsBoundWhateverIsGivenBack() {
        ChunkArrays.clear();
        int size = 58 * 1024;
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[size];
            b[0] = 1;
            ChunkArrays.release(b);
        }
        assertThat((long) ChunkArrays.kept() * size)
                .isLessThanOrEqualTo(ChunkArrays.MAX_BYTES)
                .isGreaterThan(ChunkArrays.MAX_BYTES - size);
        byte[] again = ChunkArrays.take(size, size);
        assertThat(again).hasSize(size);
        assertThat(again[0]).as("zeroed when kept").isZero();
        assertThat(ChunkArrays.take(size + 1, size + 1).length)
                .as("too small: a new one")
                .isGreaterThan(size);
    }

    @Test
    void largeArraysAreNotKept() {
        ChunkArrays.clear();
        ChunkArrays.release(new byte[ChunkArrays.LARGEST + 1]);
        assertThat(ChunkArrays.kept()).isZero();
    }
}
