package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.routerlog.bytes.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pair aggregations' tables, fed with stored keys as the shards hold them. */
class PairTableTest {
    private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder()
            .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
            .build();

    private static void add(PairTable t, PairKey k, long n) {
        byte[] b = PairBytes.of(k);
        PairBytes.Fields f = new PairBytes.Fields();
        assertThat(f.read(b, 0, b.length)).isTrue();
        t.add(b, 0, f, n, !k.client().isEmpty());
    }

    private static long flushes;

    /** Stores {@code n} queries of {@code k} in {@code shard}, as a flush of one member would. */
    private static void put(PairShard shard, PairKey k, long n) {
        byte[] b = PairBytes.of(k);
        int now = (int) (System.currentTimeMillis() / 1000);
        assertThat(shard.add(
                        new UUID(0, 1),
                        ++flushes,
                        now,
                        10_000,
                        3600,
                        each -> each.accept(b, 0, b.length, PairBytes.hash(b, 0, b.length), n)))
                .isTrue();
    }

    @Test
    void groupsByDomainAndByClientWithDistinctCounts() {
        PairTable t = new PairTable(true);
        add(t, new PairKey("r1", "10.0.0.1", "github.com", "A"), 5);
        add(t, new PairKey("r1", "10.0.0.1", "github.com", "AAAA"), 3);
        add(t, new PairKey("r2", "10.0.0.1", "github.com", "A"), 1);
        add(t, new PairKey("r1", "10.0.0.2", "example.org", "A"), 9);

        assertThat(t.topDomains(10))
                .containsExactly(
                        new PairGroups.Grouped("example.org", "", 9, 1),
                        new PairGroups.Grouped("github.com", "", 9, 2));
        assertThat(t.topClients(10))
                .containsExactly(
                        new PairGroups.Grouped("r1", "10.0.0.2", 9, 1),
                        new PairGroups.Grouped("r1", "10.0.0.1", 8, 1),
                        new PairGroups.Grouped("r2", "10.0.0.1", 1, 1));
        assertThat(t.queries).isEqualTo(18);
        assertThat(t.pairs).isEqualTo(4);
        assertThat(t.clientCount()).isEqualTo(3);
    }

    @Test
    void tiesGoByRouterThenAddressNotByTheLengthBytesOfTheKey() {
        PairTable t = new PairTable(true);
        // "rb" sorts after "r" + anything by router, though its key's first byte (its length) is larger
        add(t, new PairKey("rb", "1", "x.example", "A"), 4);
        add(t, new PairKey("r", "zzzzzzzz", "x.example", "A"), 4);
        add(t, new PairKey("r", "10.0.0.1", "x.example", "A"), 4);
        add(t, new PairKey("", "", "x.example", "A"), 4);

        List<PairGroups.Grouped> clients = t.topClients(10);
        assertThat(clients)
                .extracting(g -> g.first() + "/" + g.second())
                .containsExactly("/", "r/10.0.0.1", "r/zzzzzzzz", "rb/1");
        assertThat(t.topClients(2)).extracting(PairGroups.Grouped::second).containsExactly("", "10.0.0.1");
    }

    @Test
    void tiesAmongDomainsGoByName() {
        PairTable t = new PairTable(true);
        for (String d : List.of("b.example", "a.example", "ab.example", "bücher.example", "a")) {
            add(t, new PairKey("r1", "10.0.0.1", d, "A"), 2);
        }
        assertThat(t.topDomains(10))
                .extracting(PairGroups.Grouped::first)
                .containsExactly("a", "a.example", "ab.example", "b.example", "bücher.example");
    }

    @Test
    void anUnnamedClientCountsForTheDomainButNotAmongItsClients() {
        PairTable t = new PairTable(true);
        add(t, new PairKey("r1", "", "x.example", "NXDOMAIN"), 3);
        add(t, new PairKey("r1", "10.0.0.1", "x.example", "NXDOMAIN"), 1);
        assertThat(t.topDomains(1)).containsExactly(new PairGroups.Grouped("x.example", "", 4, 1));
    }

    @Test
    void joinsTablesOfOtherMembersByNameAddingTheirDistinctCounts() {
        // as shards hold them: every type of one client's domain in the same table
        PairTable a = new PairTable(true);
        PairTable b = new PairTable(true);
        add(a, new PairKey("r1", "10.0.0.1", "github.com", "A"), 5);
        add(a, new PairKey("r1", "10.0.0.1", "github.com", "AAAA"), 1);
        add(b, new PairKey("r1", "10.0.0.2", "github.com", "A"), 2);
        add(b, new PairKey("r1", "10.0.0.1", "other.example", "A"), 7);
        a.endShard();
        b.endShard();
        a.addAll(roundTrip(b));
        assertThat(a.topDomains(10))
                .containsExactly(
                        new PairGroups.Grouped("github.com", "", 8, 2),
                        new PairGroups.Grouped("other.example", "", 7, 1));
        assertThat(a.topClients(10))
                .containsExactly(
                        new PairGroups.Grouped("r1", "10.0.0.1", 13, 2),
                        new PairGroups.Grouped("r1", "10.0.0.2", 2, 1));
    }

    @Test
    void aLinkCountsOnceWithinAShardHoweverManyTypesItHas() {
        PairTable t = new PairTable(true);
        for (String type : List.of("A", "AAAA", "HTTPS", "A")) {
            add(t, new PairKey("r1", "10.0.0.1", "github.com", type), 1);
        }
        t.endShard();
        add(t, new PairKey("r1", "10.0.0.2", "github.com", "A"), 1);
        // the next shard's links, not yet ended: counted when asked
        assertThat(t.topDomains(1)).containsExactly(new PairGroups.Grouped("github.com", "", 5, 2));
        assertThat(t.topClients(1)).containsExactly(new PairGroups.Grouped("r1", "10.0.0.1", 4, 1));
        assertThat(roundTrip(t).topDomains(1)).containsExactly(new PairGroups.Grouped("github.com", "", 5, 2));
    }

    @Test
    void everyTypeOfAClientsDomainIsStoredInOneShard() {
        PairBytes.Fields f = new PairBytes.Fields();
        for (int i = 0; i < 1000; i++) {
            String client = "10.0." + i / 250 + "." + i % 250;
            String domain = "n" + i + ".example";
            byte[] a = PairBytes.of(new PairKey("r1", client, domain, "A"));
            int shard = PairBytes.partition(PairBytes.shardHash(a, 0, a.length, f), PairMap.SHARDS);
            for (String type : List.of("AAAA", "HTTPS", "NXDOMAIN", "")) {
                byte[] other = PairBytes.of(new PairKey("r1", client, domain, type));
                assertThat(PairBytes.partition(PairBytes.shardHash(other, 0, other.length, f), PairMap.SHARDS))
                        .isEqualTo(shard);
            }
        }
    }

    @Test
    void aNegativeDistinctCountFromAnotherMemberIsRefused() throws IOException {
        byte[] wire = oneClientOnTheWire();
        // the last four bytes: the only name's distinct count
        wire[wire.length - 4] = (byte) 0xff;
        PairTable back = new PairTable(false);
        assertThatThrownBy(() -> back.readData(SERIALIZATION.createObjectDataInput(wire)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("distinct");
    }

    @Test
    void aCombineIntoAnEmptyAggregatorTakesTheTableAndLeavesTheOtherEmpty() {
        PairShard one = new PairShard();
        PairShard two = new PairShard();
        put(one, new PairKey("r1", "10.0.0.1", "github.com", "A"), 5);
        put(one, new PairKey("r1", "10.0.0.2", "github.com", "A"), 2);
        put(two, new PairKey("r1", "10.0.0.1", "other.example", "A"), 7);

        PairOverview first = new PairOverview(10);
        first.accumulate(Map.entry(1, one));
        PairOverview second = new PairOverview(10);
        second.accumulate(Map.entry(2, two));
        PairOverview result = new PairOverview(10);
        result.combine(first); // empty: takes first's table
        result.combine(second); // adds second's
        result.combine(first); // first gave its counts away: adds nothing
        PairQueries.Overview o = result.aggregate();
        assertThat(o.totals()).isEqualTo(new PairQueries.Totals(14, 3, 2));
        assertThat(o.domains())
                .containsExactly(
                        new PairQueries.DomainCount("github.com", 7, 2),
                        new PairQueries.DomainCount("other.example", 7, 1));
        assertThat(first.aggregate().totals()).isEqualTo(new PairQueries.Totals(0, 0, 0));

        PairTotals totals = new PairTotals();
        PairTotals part = new PairTotals();
        part.accumulate(Map.entry(1, one));
        totals.combine(part);
        totals.combine(part);
        assertThat(totals.aggregate()).isEqualTo(new PairQueries.Totals(7, 2, 2));

        PairGroups groups = PairGroups.byClient(PairFilter.ALL, 10);
        PairGroups partGroups = PairGroups.byClient(PairFilter.ALL, 10);
        partGroups.accumulate(Map.entry(2, two));
        groups.combine(partGroups);
        groups.combine(partGroups);
        assertThat(groups.aggregate()).containsExactly(new PairGroups.Grouped("r1", "10.0.0.1", 7, 1));
    }

    @Test
    void travelsBetweenMembersWithNonAsciiNames() {
        PairTable t = new PairTable(true);
        add(t, new PairKey("røuter", "fe80::1", "😀.example", "A"), 3);
        add(t, new PairKey("røuter", "10.0.0.1", "😀.example", "A"), 1);
        add(t, new PairKey("other", "10.0.0.1", "b.example", "A"), 1);
        PairTable copy = roundTrip(t);
        assertThat(copy.topDomains(5)).isEqualTo(t.topDomains(5));
        assertThat(copy.topClients(5)).isEqualTo(t.topClients(5));
        assertThat(copy.topClients(5).get(0)).isEqualTo(new PairGroups.Grouped("røuter", "fe80::1", 3, 1));
        assertThat(copy.queries).isEqualTo(5);
    }

    @Test
    void filtersCompareTheStoredBytes() {
        byte[] b = PairBytes.of(new PairKey("røuter", "10.0.0.1", "bücher.example", "AAAA"));
        PairBytes.Fields f = new PairBytes.Fields();
        assertThat(f.read(b, 0, b.length)).isTrue();
        assertThat(PairFilter.ALL.onKeys().matches(b, f)).isTrue();
        assertThat(new PairFilter("røuter", "10.0.0.1", "bücher.example", "AAAA")
                        .onKeys()
                        .matches(b, f))
                .isTrue();
        assertThat(new PairFilter("røuter", null, null).onKeys().matches(b, f)).isTrue();
        assertThat(new PairFilter("router", null, null).onKeys().matches(b, f)).isFalse();
        assertThat(new PairFilter(null, "10.0.0.10", null).onKeys().matches(b, f))
                .isFalse();
        assertThat(new PairFilter(null, null, "bücher.exampl").onKeys().matches(b, f))
                .isFalse();
        assertThat(PairFilter.ALL.withQtype("A").onKeys().matches(b, f)).isFalse();
    }

    @Test
    void aClientKeyIsTwoLabelsAndNothingMore() {
        byte[] b = PairBytes.of(new PairKey("r1", "10.0.0.1", "x.example", "A"));
        PairBytes.Fields f = new PairBytes.Fields();
        assertThat(f.read(b, 0, b.length)).isTrue();
        int end = f.clientEnd();
        PairBytes.Fields c = new PairBytes.Fields();
        assertThat(c.readClient(b, 0, end)).isTrue();
        assertThat(c.routerLength()).isEqualTo(2);
        assertThat(c.clientLength()).isEqualTo(8);
        assertThat(c.readClient(b, 0, end + 1)).isFalse();
        assertThat(c.readClient(b, 0, end - 1)).isFalse();
    }

    @Test
    void aCountOfNamesThatIsNotSentIsRefusedWithoutTakingItsRoom() {
        var out = SERIALIZATION.createObjectDataOutput();
        try {
            out.writeLong(1);
            out.writeLong(1);
            out.writeInt(Integer.MAX_VALUE); // names claimed, none follow
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] wire = out.toByteArray();
        PairTable back = new PairTable(true);
        assertThatThrownBy(() -> back.readData(SERIALIZATION.createObjectDataInput(wire)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aMalformedClientKeyFromAnotherMemberIsRefused() throws IOException {
        byte[] wire = oneClientOnTheWire();
        // queries, pairs, the count of names, the first name's length, then its first byte: the router's length
        int routerLength = 8 + 8 + 4 + 4;
        wire[routerLength] = 9;
        PairTable back = new PairTable(false);
        assertThatThrownBy(() -> back.readData(SERIALIZATION.createObjectDataInput(wire)))
                .isInstanceOf(IOException.class);
    }

    /** Three members' tables of the same random pairs, each pair in the table of the member its shard is on. */
    private static PairTable[] memberTables(PairTable whole) {
        return memberTables(whole, 20_000, 3000);
    }

    private static PairTable[] memberTables(PairTable whole, int draws, int domains) {
        Random random = new Random(7);
        Map<PairKey, Long> pairs = new HashMap<>();
        String[] types = {"A", "AAAA", "HTTPS"};
        for (int i = 0; i < draws; i++) {
            PairKey k = new PairKey(
                    random.nextBoolean() ? "r1" : "r2",
                    "10.0." + random.nextInt(4) + "." + random.nextInt(100),
                    "d" + random.nextInt(domains) + ".example",
                    types[random.nextInt(types.length)]);
            pairs.merge(k, 1L + random.nextInt(5), Long::sum);
        }
        PairTable[] members = {new PairTable(true), new PairTable(true), new PairTable(true)};
        PairBytes.Fields f = new PairBytes.Fields();
        pairs.forEach((k, n) -> {
            byte[] b = PairBytes.of(k);
            int shard = PairBytes.partition(PairBytes.shardHash(b, 0, b.length, f), PairMap.SHARDS);
            add(members[shard % 3], k, n);
            add(whole, k, n);
        });
        return members;
    }

    @Test
    void tablesOfOtherMembersMergeByNameToTheAnswerOfOneTable() {
        PairTable whole = new PairTable(true);
        memberTables(whole);
        List<java.util.function.Function<PairTable[], PairTable>> combines = List.of(
                // the caller's own table first, as Hazelcast mostly combines
                m -> PairTable.join(
                        PairTable.join(PairTable.join(new PairTable(true), m[0]), roundTrip(m[1])), roundTrip(m[2])),
                // a table another member sent first
                m -> PairTable.join(
                        PairTable.join(PairTable.join(new PairTable(true), roundTrip(m[1])), m[0]), roundTrip(m[2])),
                // two sent tables combined, then the caller's own
                m -> PairTable.join(PairTable.join(roundTrip(m[1]), roundTrip(m[2])), m[0]),
                // every table sent
                m -> PairTable.join(PairTable.join(roundTrip(m[0]), roundTrip(m[1])), roundTrip(m[2])));
        for (var combine : combines) {
            for (int limit : new int[] {1, 10, 100, 100_000}) {
                PairTable merged = combine.apply(memberTables(new PairTable(true)));
                assertThat(merged.topDomains(limit)).isEqualTo(whole.topDomains(limit));
                assertThat(merged.topClients(limit)).isEqualTo(whole.topClients(limit));
                assertThat(merged.clientCount()).isEqualTo(whole.clientCount());
                PairTable.Top counted =
                        combine.apply(memberTables(new PairTable(true))).topClientsCounted(limit);
                assertThat(counted.items()).isEqualTo(whole.topClients(limit));
                assertThat(counted.names()).isEqualTo(whole.clientCount());
                assertThat(merged.queries).isEqualTo(whole.queries);
                assertThat(merged.pairs).isEqualTo(whole.pairs);
            }
        }
        assertThat(whole.topDomains(100_000)).hasSize(3000);
    }

    @Test
    void largeTablesAreSortedByRadixAndMergeAlike() {
        PairTable whole = new PairTable(true);
        PairTable[] m = memberTables(whole, 90_000, 60_000);
        assertThat(whole.topDomains(Integer.MAX_VALUE).size() / 3).isGreaterThan(PairTable.Names.RADIX_FROM);
        PairTable merged = PairTable.join(
                PairTable.join(PairTable.join(new PairTable(true), m[0]), roundTrip(m[1])), roundTrip(m[2]));
        for (int limit : new int[] {10, 1000, Integer.MAX_VALUE}) {
            assertThat(merged.topDomains(limit)).isEqualTo(whole.topDomains(limit));
        }
        assertThat(merged.topClients(50)).isEqualTo(whole.topClients(50));
        assertThat(merged.clientCount()).isEqualTo(whole.clientCount());
    }

    @Test
    void namesAreOrderedByHashWhateverTheirNumber() {
        for (int n : new int[] {0, 1, 100, PairTable.Names.RADIX_FROM - 1, PairTable.Names.RADIX_FROM, 50_000}) {
            PairTable.Names names = new PairTable.Names(16, false);
            for (int i = 0; i < n; i++) {
                byte[] b = ("n" + i + ".example").getBytes(StandardCharsets.UTF_8);
                names.add(b, 0, b.length, 1);
            }
            int[] order = names.hashOrder();
            assertThat(order).hasSize(n);
            assertThat(java.util.Arrays.stream(order.clone()).sorted().toArray())
                    .isEqualTo(java.util.stream.IntStream.range(0, n).toArray());
            for (int i = 1; i < n; i++) {
                int before = hashOf(names.first(order[i - 1]));
                int after = hashOf(names.first(order[i]));
                assertThat(before).as("%d names, at %d", n, i).isLessThanOrEqualTo(after);
                if (before == after) {
                    assertThat(order[i - 1]).isLessThan(order[i]);
                }
            }
        }
    }

    private static int hashOf(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return Bytes.hash(Bytes.HASH_SEED, b, 0, b.length);
    }

    /** Two domains whose names' hashes are equal, found by trying names. */
    private static String[] domainsOfOneHash() {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String d = "c" + i + ".example";
            byte[] b = d.getBytes(StandardCharsets.UTF_8);
            String before = seen.putIfAbsent(Bytes.hash(Bytes.HASH_SEED, b, 0, b.length), d);
            if (before != null) {
                return new String[] {before, d};
            }
        }
    }

    @Test
    void namesOfTheSameHashStayApartWhenMerged() {
        String[] same = domainsOfOneHash();
        PairTable own = new PairTable(true);
        add(own, new PairKey("r1", "10.0.0.1", same[0], "A"), 3);
        add(own, new PairKey("r1", "10.0.0.2", same[1], "A"), 4);
        PairTable other = new PairTable(true);
        add(other, new PairKey("r1", "10.0.0.3", same[1], "A"), 5);
        PairTable third = new PairTable(true);
        add(third, new PairKey("r1", "10.0.0.4", same[0], "A"), 1);
        add(third, new PairKey("r1", "10.0.0.5", same[1], "AAAA"), 2);
        add(third, new PairKey("r1", "10.0.0.5", "x.example", "A"), 8);
        PairTable merged = PairTable.join(PairTable.join(own, roundTrip(other)), roundTrip(third));
        assertThat(merged.topDomains(10))
                .containsExactly(
                        new PairGroups.Grouped(same[1], "", 11, 3),
                        new PairGroups.Grouped("x.example", "", 8, 1),
                        new PairGroups.Grouped(same[0], "", 4, 2));
        assertThat(merged.topClients(1)).containsExactly(new PairGroups.Grouped("r1", "10.0.0.5", 10, 2));
        assertThat(merged.clientCount()).isEqualTo(5);
    }

    @Test
    void namesSentOutOfHashOrderAreRefused() throws IOException {
        byte[][] keys = new byte[2][];
        for (int i = 0; i < 2; i++) {
            byte[] b = PairBytes.of(new PairKey("r1", "10.0.0." + i, "x.example", "A"));
            PairBytes.Fields f = new PairBytes.Fields();
            assertThat(f.read(b, 0, b.length)).isTrue();
            keys[i] = java.util.Arrays.copyOf(b, f.clientEnd());
        }
        int h0 = Bytes.hash(Bytes.HASH_SEED, keys[0], 0, keys[0].length);
        int h1 = Bytes.hash(Bytes.HASH_SEED, keys[1], 0, keys[1].length);
        assertThat(h0).isNotEqualTo(h1);
        var out = SERIALIZATION.createObjectDataOutput();
        out.writeLong(2);
        out.writeLong(2);
        out.writeInt(2);
        // the larger hash first
        for (byte[] k : h0 > h1 ? keys : new byte[][] {keys[1], keys[0]}) {
            out.writeInt(k.length);
            out.write(k);
            out.writeLong(1);
            out.writeInt(1);
        }
        byte[] wire = out.toByteArray();
        PairTable back = new PairTable(false);
        assertThatThrownBy(() -> back.readData(SERIALIZATION.createObjectDataInput(wire)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("order");
    }

    /** A totals table of one pair, as a member writes it. */
    private static byte[] oneClientOnTheWire() throws IOException {
        PairTable t = new PairTable(false);
        add(t, new PairKey("r1", "10.0.0.1", "x.example", "A"), 1);
        var out = SERIALIZATION.createObjectDataOutput();
        t.writeData(out);
        return out.toByteArray();
    }

    private static PairTable roundTrip(PairTable t) {
        try {
            var out = SERIALIZATION.createObjectDataOutput();
            t.writeData(out);
            PairTable back = new PairTable(true);
            back.readData(SERIALIZATION.createObjectDataInput(out.toByteArray()));
            return back;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
