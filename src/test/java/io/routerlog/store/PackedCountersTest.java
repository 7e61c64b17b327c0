package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packed read of a counter map: labels and counts come back as they went in. */
public class PackedCountersTest {
    /** Packs the pairs in iteration order (for exporter tests). */
    public static PackedCounters pack(Map<PairKey, Long> pairs) {
        PackedCounters p = new PackedCounters();
        pairs.forEach(p::add);
        return p;
    }

    private static List<String> read(PackedCounters p) {
        List<String> out = new ArrayList<>();
        PackedCounters.Cursor c = p.cursor();
        while (c.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < c.labels(); i++) {
                b.append(c.label(i)).append('|');
            }
            out.add(b.append(c.value()).toString());
        }
        return out;
    }

    @Test
    void labelsAndCountsComeBackInOrder() {
        PackedCounters p = new PackedCounters(16); // grows as needed
        p.add(new PairKey("r1", "192.168.1.2", "bücher.example", "AAAA"), 5);
        p.add(new LabelValuesKey("wan-drop", "10.0.0.1", "10.0.0.2", "TCP", "22"), Long.MAX_VALUE);
        p.add("forwarded", 0);
        p.add(new PairKey("r1", "::1", "😀.example", "A"), 1);
        assertThat(p.entries()).isEqualTo(4);
        assertThat(read(p))
                .containsExactly(
                        "r1|192.168.1.2|bücher.example|AAAA|5",
                        "wan-drop|10.0.0.1|10.0.0.2|TCP|22|" + Long.MAX_VALUE,
                        "forwarded|0",
                        "r1|::1|😀.example|A|1");
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() {
        PackedCounters p = new PackedCounters();
        p.add(new PairKey("r1", "c", "a\uD800b", "A"), 1);
        assertThat(read(p)).containsExactly("r1|c|a\uFFFDb|A|1");
    }

    @Test
    void aVeryLongLabelIsCutAtACharacterBoundary() {
        String name = "é".repeat(3000); // 6000 bytes of UTF-8
        PackedCounters p = new PackedCounters();
        p.add(new PairKey("r1", "c", name, "A"), 9);
        PackedCounters.Cursor c = p.cursor();
        assertThat(c.next()).isTrue();
        assertThat(c.labelLength(2)).isEqualTo(PackedCounters.MAX_LABEL_BYTES);
        assertThat(c.label(2)).isEqualTo("é".repeat(PackedCounters.MAX_LABEL_BYTES / 2));
        assertThat(c.label(3)).isEqualTo("A");
        assertThat(c.value()).isEqualTo(9);
    }

    @Test
    void joinedPacksAndTheirSerializedFormReadTheSame() {
        PackedCounters a = new PackedCounters();
        PackedCounters b = new PackedCounters();
        Map<PairKey, Long> pairs = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            pairs.put(new PairKey("r1", "10.0.0." + i % 250, "host" + i + ".example", i % 2 == 0 ? "A" : "AAAA"), (long)
                    i);
        }
        int i = 0;
        for (Map.Entry<PairKey, Long> e : pairs.entrySet()) {
            (i++ < 2000 ? a : b).add(e.getKey(), e.getValue());
        }
        a.addAll(b);
        assertThat(a.entries()).isEqualTo(5000);
        assertThat(read(a)).isEqualTo(read(pack(pairs)));

        InternalSerializationService ss = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
                .build();
        Data data = ss.toData(a);
        PackedCounters back = ss.toObject(data);
        assertThat(back.entries()).isEqualTo(5000);
        assertThat(read(back)).isEqualTo(read(a));
    }

    @Test
    void packsLargerThanAChunkSpanChunksWithEveryEntryWhole() {
        // entries of every size up to the longest label, so that chunks end at every kind of boundary
        Map<PairKey, Long> pairs = new LinkedHashMap<>();
        for (int i = 0; i < 3000; i++) {
            String domain = "d" + i + "-" + "x".repeat(i * 7 % 5000) + ".example";
            pairs.put(new PairKey("r" + i % 3, "10.1." + i / 250 + "." + i % 250, domain, "A"), (long) i * 31);
        }
        PackedCounters p = pack(pairs);
        assertThat(p.bytes()).isGreaterThan(4L * PackedCounters.MAX_CHUNK);
        assertThat(p.entries()).isEqualTo(pairs.size());
        List<String> expected = new ArrayList<>();
        pairs.forEach((k, v) -> expected.add(k.router() + "|" + k.client() + "|"
                + k.domain().substring(0, Math.min(k.domain().length(), PackedCounters.MAX_LABEL_BYTES)) + "|"
                + k.qtype() + "|" + v));
        assertThat(read(p)).isEqualTo(expected);
        // a reservation makes a chunk of its size; what follows still reads in order
        PackedCounters r = new PackedCounters();
        r.add(new PairKey("r", "c", "first", "A"), 1);
        r.reserve(3L * PackedCounters.MAX_CHUNK);
        pairs.forEach(r::add);
        assertThat(read(r))
                .hasSize(pairs.size() + 1)
                .startsWith("r|c|first|A|1")
                .endsWith(expected.get(2999));
    }

    @Test
    void joiningTakesTheOtherPacksChunksAndLaterAddsToItAreNotSeen() {
        PackedCounters a = new PackedCounters();
        a.add(new PairKey("r1", "c1", "a.example", "A"), 1);
        PackedCounters b = new PackedCounters();
        for (int i = 0; i < 20_000; i++) { // several chunks
            b.add(new PairKey("r1", "c2", "b" + i + ".example", "A"), i);
        }
        PackedCounters empty = new PackedCounters();
        a.addAll(empty);
        a.addAll(b);
        List<String> joined = read(a);
        b.add(new PairKey("r1", "c2", "later.example", "A"), 5);
        a.add(new PairKey("r1", "c1", "z.example", "A"), 2);
        assertThat(a.entries()).isEqualTo(20_002);
        assertThat(read(a))
                .hasSize(20_002)
                .startsWith(joined.toArray(String[]::new))
                .endsWith("r1|c1|z.example|A|2");
        assertThat(read(a)).doesNotContain("r1|c2|later.example|A|5");
        assertThat(read(b)).hasSize(20_001).endsWith("r1|c2|later.example|A|5");
        // the same bytes as one pack of the same entries
        PackedCounters one = new PackedCounters();
        one.add(new PairKey("r1", "c1", "a.example", "A"), 1);
        for (int i = 0; i < 20_000; i++) {
            one.add(new PairKey("r1", "c2", "b" + i + ".example", "A"), i);
        }
        one.add(new PairKey("r1", "c1", "z.example", "A"), 2);
        assertThat(a.bytes()).isEqualTo(one.bytes());
        assertThat(read(a)).isEqualTo(read(one));
    }

    @Test
    void keysReadFromTheirSerializedFormPackAsTheKeyObjectsDo() {
        InternalSerializationService ss = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
                .build();
        List<Object> keys = List.of(
                new PairKey("r1", "192.168.1.2", "bücher.example", "AAAA"),
                new PairKey("r1", "::1", "😀.example", "A"),
                new PairKey("", "", "", ""),
                new PairKey("r1", "c", "a\"quoted\\name\n", "TXT"),
                new LabelValuesKey("wan-drop", "10.0.0.1", "10.0.0.2", "TCP", "22"),
                new LabelValuesKey(new String[0]));
        PackedCounters fromBytes = new PackedCounters(16);
        PackedCounters fromObjects = new PackedCounters(16);
        long count = Long.MAX_VALUE;
        for (Object key : keys) {
            assertThat(fromBytes.addSerialized(ss.toData(key).toByteArray(), count))
                    .as("%s", key)
                    .isTrue();
            fromObjects.add(key, count);
            count /= 7;
        }
        assertThat(fromBytes.entries()).isEqualTo(keys.size());
        assertThat(read(fromBytes)).isEqualTo(read(fromObjects));
    }

    @Test
    void bytesNotInTheKeyFormLeaveThePackAsItWas() {
        InternalSerializationService ss = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
                .build();
        PackedCounters p = new PackedCounters(16);
        p.add(new PairKey("r1", "c", "d", "A"), 3);
        List<String> before = read(p);
        byte[] pair =
                ss.toData(new PairKey("r1", "10.0.0.1", "example.com", "A")).toByteArray();
        byte[] cut = java.util.Arrays.copyOf(pair, pair.length - 1);
        byte[] longer = java.util.Arrays.copyOf(pair, pair.length + 1);
        byte[] tooLong = ss.toData(new PairKey("r1", "c", "x".repeat(PackedCounters.MAX_LABEL_BYTES + 1), "A"))
                .toByteArray();
        byte[] otherClass =
                ss.toData(MemberCounts.of(java.util.UUID.randomUUID(), 1)).toByteArray();
        byte[] string = ss.toData("forwarded").toByteArray();
        for (byte[] bytes : List.of(cut, longer, tooLong, otherClass, string, new byte[3])) {
            assertThat(p.addSerialized(bytes, 1)).isFalse();
        }
        assertThat(p.entries()).isEqualTo(1);
        assertThat(read(p)).isEqualTo(before);
        assertThat(p.addSerialized(pair, 2)).isTrue();
        assertThat(read(p)).containsExactly("r1|c|d|A|3", "r1|10.0.0.1|example.com|A|2");
    }
}
