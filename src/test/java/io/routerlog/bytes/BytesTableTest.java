package io.routerlog.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BytesTableTest {
    private static byte[] key(int i) {
        // lengths from 1 to 40 bytes, so keys of different lengths share prefixes
        String s = "k" + i + "-".repeat(i % 32);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int hash(byte[] k, int off, int len) {
        return Bytes.hash(Bytes.HASH_SEED, k, off, len);
    }

    @Test
    void handsOutDenseEntriesAndFindsEveryKeyThroughGrowth() {
        BytesTable t = new BytesTable(4);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            // a key inside a larger buffer, as the receive path passes it
            byte[] buf = new byte[k.length + 7];
            System.arraycopy(k, 0, buf, 3, k.length);
            assertThat(t.findOrAdd(buf, 3, k.length, hash(k, 0, k.length))).isEqualTo(i);
        }
        assertThat(t.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            assertThat(t.find(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
            assertThat(t.findOrAdd(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
            assertThat(stored(t, i)).isEqualTo(k);
        }
        assertThat(t.size()).isEqualTo(n);
        byte[] absent = key(n + 1);
        assertThat(t.find(absent, 0, absent.length, hash(absent, 0, absent.length)))
                .isEqualTo(-1);
        // a prefix of a stored key is another key
        byte[] prefix = Arrays.copyOf(key(31), key(31).length - 1);
        assertThat(t.find(prefix, 0, prefix.length, hash(prefix, 0, prefix.length)))
                .isEqualTo(-1);
    }

    @Test
    void roomMadeAheadKeepsTheKeysAndTakesMoreWithoutGrowing() {
        BytesTable t = new BytesTable(4);
        for (int i = 0; i < 100; i++) {
            byte[] k = key(i);
            t.findOrAdd(k, 0, k.length, hash(k, 0, k.length));
        }
        int used = t.keyBytesUsed();
        t.ensureCapacity(5_000, used * 60);
        byte[] before = t.keyBytes();
        for (int i = 0; i < 5_000; i++) {
            byte[] k = key(i);
            assertThat(t.findOrAdd(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
        }
        assertThat(t.keyBytes()).as("no growth of the key bytes").isSameAs(before);
        for (int i = 0; i < 5_000; i++) {
            byte[] k = key(i);
            assertThat(t.find(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
            assertThat(stored(t, i)).isEqualTo(k);
        }
        assertThat(t.keyBytesUsed()).isGreaterThan(used);
    }

    @Test
    void keysWithTheSameHashStayApart() {
        BytesTable t = new BytesTable(16);
        byte[] a = "alpha".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "bravo".getBytes(StandardCharsets.US_ASCII);
        assertThat(t.findOrAdd(a, 0, a.length, 42)).isZero();
        assertThat(t.findOrAdd(b, 0, b.length, 42)).isEqualTo(1);
        assertThat(t.find(b, 0, b.length, 42)).isEqualTo(1);
        assertThat(t.find(a, 0, a.length, 42)).isZero();
    }

    @Test
    void clearForgetsEveryEntryAndNumbersStartAgain() {
        BytesTable t = new BytesTable(8);
        for (int i = 0; i < 100; i++) {
            byte[] k = key(i);
            t.findOrAdd(k, 0, k.length, hash(k, 0, k.length));
        }
        t.clear();
        assertThat(t.size()).isZero();
        byte[] k = key(5);
        assertThat(t.find(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(-1);
        byte[] other = key(77);
        assertThat(t.findOrAdd(other, 0, other.length, hash(other, 0, other.length)))
                .isZero();
        assertThat(stored(t, 0)).isEqualTo(other);
    }

    @Test
    void retainKeepsTheChosenEntriesInOrderAndFindsThemUnderTheirNewNumbers() {
        BytesTable t = new BytesTable(8);
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            t.findOrAdd(k, 0, k.length, hash(k, 0, k.length));
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        // keep every third key; the caller moves its own values along
        t.retain((from, to) -> {
            values[to] = values[from];
            return from % 3 == 0;
        });
        int kept = (n + 2) / 3;
        assertThat(t.size()).isEqualTo(kept);
        for (int j = 0; j < kept; j++) {
            byte[] k = key(3 * j);
            assertThat(stored(t, j)).isEqualTo(k);
            assertThat(t.hash(j)).isEqualTo(hash(k, 0, k.length));
            assertThat(t.find(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(j);
            assertThat(values[j]).isEqualTo(3 * j);
        }
        byte[] gone = key(1);
        assertThat(t.find(gone, 0, gone.length, hash(gone, 0, gone.length))).isEqualTo(-1);
        // new keys go after the kept ones
        assertThat(t.findOrAdd(gone, 0, gone.length, hash(gone, 0, gone.length)))
                .isEqualTo(kept);
        assertThat(stored(t, kept)).isEqualTo(gone);
        t.retain((from, to) -> false);
        assertThat(t.size()).isZero();
    }

    /** The key bytes the table holds for an entry, as its readers reach them. */
    private static byte[] stored(BytesTable t, int entry) {
        return Arrays.copyOfRange(t.keyBytes(), t.keyOffset(entry), t.keyOffset(entry) + t.keyLength(entry));
    }

    @Test
    void appendedKeysAreFoundOnceALookUpIndexesThem() {
        BytesTable t = new BytesTable(4);
        t.findOrAdd(key(0), 0, key(0).length, hash(key(0), 0, key(0).length));
        int n = 20_000;
        for (int i = 1; i < n; i++) {
            byte[] k = key(i);
            assertThat(t.append(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
        }
        // room made while the keys are not indexed, then taken by look-ups
        t.ensureCapacity(n * 2, 0);
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            assertThat(stored(t, i)).isEqualTo(k);
            assertThat(t.find(k, 0, k.length, hash(k, 0, k.length))).isEqualTo(i);
        }
        byte[] more = key(n);
        assertThat(t.findOrAdd(more, 0, more.length, hash(more, 0, more.length)))
                .isEqualTo(n);
        // an appended key is not looked for: the same key twice is two entries, the first one found
        assertThat(t.append(key(5), 0, key(5).length, hash(key(5), 0, key(5).length)))
                .isEqualTo(n + 1);
        assertThat(t.find(key(5), 0, key(5).length, hash(key(5), 0, key(5).length)))
                .isEqualTo(5);
        t.clear();
        assertThat(t.find(key(5), 0, key(5).length, hash(key(5), 0, key(5).length)))
                .isEqualTo(-1);
    }
}
