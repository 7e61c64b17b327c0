package io.routerlog.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BytesTest {
    private static int naiveIndexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int naiveLastIndexOf(byte[] b, int from, int end, byte c) {
        for (int i = end - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void indexOfAndLastIndexOfAgreeWithAByteLoopOnEveryRange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            byte[] b = new byte[random.nextInt(1, 40)];
            for (int i = 0; i < b.length; i++) {
                // few distinct values, so matches land everywhere, including bytes with the high bit set
                b[i] = (byte) new int[] {' ', '/', 0, 0x80, 0xff, 'a'}[random.nextInt(6)];
            }
            for (byte c : new byte[] {' ', '/', 0, (byte) 0x80, (byte) 0xff, 'a', 'z'}) {
                for (int from = 0; from <= b.length; from++) {
                    for (int end = from; end <= b.length; end++) {
                        assertThat(Bytes.indexOf(b, from, end, c))
                                .as("indexOf %d in [%d, %d)", c, from, end)
                                .isEqualTo(naiveIndexOf(b, from, end, c));
                        assertThat(Bytes.lastIndexOf(b, from, end, c))
                                .as("lastIndexOf %d in [%d, %d)", c, from, end)
                                .isEqualTo(naiveLastIndexOf(b, from, end, c));
                    }
                }
            }
        }
    }

    @Test
    void findsTextOnlyWhereItStartsInsideTheRange() {
        byte[] b = "xx query[A] a from query[".getBytes(StandardCharsets.US_ASCII);
        assertThat(Bytes.indexOf(b, 0, b.length, "query[")).isEqualTo(3);
        assertThat(Bytes.indexOf(b, 4, b.length, "query[")).isEqualTo(19);
        assertThat(Bytes.indexOf(b, 4, b.length - 1, "query[")).isEqualTo(-1);
        assertThat(Bytes.indexOf(b, 0, 3, "query[")).isEqualTo(-1);
    }

    @Test
    void theHashOfARangeDoesNotDependOnWhereItSits() {
        byte[] key = "router\0192.168.1.20\0www.example.com\0AAAA".getBytes(StandardCharsets.ISO_8859_1);
        for (int len = 0; len <= key.length; len++) {
            byte[] shifted = new byte[len + 11];
            System.arraycopy(key, 0, shifted, 5, len);
            assertThat(Bytes.hash(Bytes.HASH_SEED, shifted, 5, len))
                    .isEqualTo(Bytes.hash(Bytes.HASH_SEED, key, 0, len));
        }
    }

    @Test
    void similarKeysOfEveryLengthRarelyShareAHash() {
        // keys as the tables see them: long shared prefixes, a counter in the middle, lengths 1 to 60
        Set<String> keys = new HashSet<>();
        Set<Integer> hashes = new HashSet<>();
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; keys.size() < 200_000; i++) {
            String s = "d" + i + ".example.com" + "x".repeat(i % 48);
            String k = s.substring(0, Math.min(s.length(), 1 + i % 60));
            if (keys.add(k)) {
                int h = Bytes.hash(Bytes.HASH_SEED, k.getBytes(StandardCharsets.US_ASCII), 0, k.length());
                hashes.add(h);
                buckets.add(Bytes.mix(h) & ((1 << 18) - 1));
            }
        }
        // 200,000 random 32-bit numbers share a value about 5 times; allow a few times that
        assertThat(keys.size() - hashes.size()).isLessThan(30);
        // and fill about 140,000 of 262,144 buckets
        assertThat(buckets.size()).isGreaterThan(135_000);
    }

    @Test
    void aByteChangedAnywhereChangesTheHash() {
        byte[] k = "192.168.100.200/53211 query[AAAA] a-long-name.example.org".getBytes(StandardCharsets.US_ASCII);
        for (int len = 1; len <= k.length; len++) {
            int h = Bytes.hash(Bytes.HASH_SEED, k, 0, len);
            for (int i = 0; i < len; i++) {
                byte[] c = k.clone();
                c[i] ^= 1;
                assertThat(Bytes.hash(Bytes.HASH_SEED, c, 0, len))
                        .as("byte %d of %d", i, len)
                        .isNotEqualTo(h);
            }
        }
    }
}
