package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The stored form of a pair's key reads back as the pair, whatever the lengths, and refuses what is not one. */
class PairBytesTest {
    @Test
    void aKeyReadsBackAsItsPair() {
        String longRouter = "r".repeat(300); // a length of two bytes
        for (PairKey pair : new PairKey[] {
            new PairKey("gw", "10.0.0.1", "example.com", "A"),
            new PairKey(longRouter, "fe80::1", "x".repeat(127) + ".example", "HTTPS"),
            new PairKey("", "", "", ""),
            new PairKey("routeur-é", "10.0.0.2", "bücher.example", "TYPE65")
        }) {
            byte[] b = PairBytes.of(pair);
            assertThat(PairBytes.decode(b, 0, b.length)).isEqualTo(pair);
            // inside a larger array, at an offset
            byte[] padded = new byte[b.length + 10];
            System.arraycopy(b, 0, padded, 7, b.length);
            assertThat(PairBytes.decode(padded, 7, b.length)).isEqualTo(pair);
        }
    }

    @Test
    void theBuilderMakesTheSameBytesFromRanges() {
        byte[] line = "gw 10.0.0.9 example.org AAAA".getBytes(StandardCharsets.US_ASCII);
        PairBytes.Builder builder = new PairBytes.Builder();
        int n = builder.build(line, 0, 2, line, 3, 8, line, 12, 11, line, 24, 4);
        assertThat(Arrays.copyOf(builder.bytes(), n))
                .isEqualTo(PairBytes.of(new PairKey("gw", "10.0.0.9", "example.org", "AAAA")));
    }

    @Test
    void bytesThatAreNotAKeyAreRefused() {
        byte[] b = PairBytes.of(new PairKey("gw", "10.0.0.1", "example.com", "A"));
        // cut inside the domain: its length points beyond the end
        assertThat(PairBytes.decode(b, 0, 12)).isNull();
        assertThat(PairBytes.decode(new byte[0], 0, 0)).isNull();
        // a length that never ends
        assertThat(PairBytes.decode(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}, 0, 5))
                .isNull();
    }

    @Test
    void partitionsAreInRangeAndSpread() {
        int[] perPartition = new int[271];
        for (int i = 0; i < 271_000; i++) {
            byte[] b = PairBytes.of(new PairKey("gw", "10.0.0." + i % 250, "n" + i + ".example.com", "A"));
            int p = PairBytes.partition(PairBytes.hash(b, 0, b.length), 271);
            assertThat(p).isBetween(0, 270);
            perPartition[p]++;
        }
        // 1,000 expected per partition; a fair spread stays well within 20 %
        assertThat(Arrays.stream(perPartition).min().orElseThrow()).isGreaterThan(800);
        assertThat(Arrays.stream(perPartition).max().orElseThrow()).isLessThan(1200);
    }

    @Test
    void aPairIsPlacedByItsRouterClientAndDomainNotItsType() {
        PairBytes.Fields f = new PairBytes.Fields();
        byte[] a = PairBytes.of(new PairKey("gw", "10.0.0.1", "example.com", "A"));
        byte[] aaaa = PairBytes.of(new PairKey("gw", "10.0.0.1", "example.com", "AAAA"));
        byte[] other = PairBytes.of(new PairKey("gw", "10.0.0.1", "example.org", "A"));
        assertThat(PairBytes.shardHash(aaaa, 0, aaaa.length, f)).isEqualTo(PairBytes.shardHash(a, 0, a.length, f));
        assertThat(PairBytes.shardHash(other, 0, other.length, f)).isNotEqualTo(PairBytes.shardHash(a, 0, a.length, f));
        // the hash of the key without its type, wherever the key starts in the array
        byte[] framed = new byte[a.length + 3];
        System.arraycopy(a, 0, framed, 3, a.length);
        int withoutType = a.length - 1;
        assertThat(PairBytes.shardHash(framed, 3, a.length, f)).isEqualTo(PairBytes.hash(a, 0, withoutType));
        // bytes that are not a key are hashed whole, not refused
        byte[] cut = Arrays.copyOf(a, 5);
        assertThat(PairBytes.shardHash(cut, 0, cut.length, f)).isEqualTo(PairBytes.hash(cut, 0, cut.length));
    }

    @Test
    void shardsAreInRangeAndSpreadByClientAndDomain() {
        int[] perShard = new int[64];
        PairBytes.Fields f = new PairBytes.Fields();
        for (int i = 0; i < 64_000; i++) {
            byte[] b = PairBytes.of(new PairKey("gw", "10.0.0." + i % 250, "n" + i / 4 + ".example.com", "A"));
            int s = PairBytes.partition(PairBytes.shardHash(b, 0, b.length, f), 64);
            assertThat(s).isBetween(0, 63);
            perShard[s]++;
        }
        // 1,000 expected per shard; a fair spread stays well within 20 %
        assertThat(Arrays.stream(perShard).min().orElseThrow()).isGreaterThan(800);
        assertThat(Arrays.stream(perShard).max().orElseThrow()).isLessThan(1200);
    }
}
