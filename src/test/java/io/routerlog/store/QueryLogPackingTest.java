package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query log's packing, filter, cursors and search, without a cluster. */
class QueryLogPackingTest {
    private static LoggedQuery q(long t, String client, String domain, String qtype) {
        return new LoggedQuery(t, "r1", client, domain, qtype);
    }

    private static List<LoggedQuery> all(QueryLogEntries e) {
        List<LoggedQuery> out = new ArrayList<>();
        for (int i = 0, off = 0; i < e.count(); i++, off = e.offsetAfter(off)) {
            out.add(e.entryAt(off));
        }
        return out;
    }

    @Test
    void entriesRoundTripFromByteRangesAndRecords() {
        QueryLogEntries e = new QueryLogEntries(16); // grows
        byte[] line = "xx 192.168.1.5 www.example.org AAAA yy".getBytes(StandardCharsets.US_ASCII);
        byte[] router = "gw".getBytes(StandardCharsets.US_ASCII);
        e.add(1_700_000_000_123L, router, 0, 2, line, 3, 11, 15, 15, 31, 4);
        e.add(q(5, "anon-0123456789abcdef", "bücher.example", "HTTPS"));
        e.add(new LoggedQuery(Long.MAX_VALUE, "", "", "", ""));
        assertThat(all(e))
                .containsExactly(
                        new LoggedQuery(1_700_000_000_123L, "gw", "192.168.1.5", "www.example.org", "AAAA"),
                        q(5, "anon-0123456789abcdef", "bücher.example", "HTTPS"),
                        new LoggedQuery(Long.MAX_VALUE, "", "", "", ""));
        assertThat(e.timeAt(0)).isEqualTo(1_700_000_000_123L);

        e.dropFirst(1);
        assertThat(all(e)).hasSize(2).first().isEqualTo(q(5, "anon-0123456789abcdef", "bücher.example", "HTTPS"));
        QueryLogEntries copy = new QueryLogEntries();
        copy.addEntry(e, e.offsetAfter(0));
        assertThat(all(copy)).containsExactly(new LoggedQuery(Long.MAX_VALUE, "", "", "", ""));
        e.dropFirst(5);
        assertThat(e.count()).isZero();
        assertThat(e.byteSize()).isZero();
    }

    private static QueryLogChunk chunk(List<LoggedQuery> queries, int first) {
        QueryLogEntries e = new QueryLogEntries();
        queries.forEach(e::add);
        byte[] bytes = java.util.Arrays.copyOf(e.buffer(), e.byteSize());
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        new AppendToChunk(first, bytes, 0, bytes.length, e.count()).process(entry);
        return entry.getValue();
    }

    @Test
    void aBufferAFloodGrewIsGivenBackOnceItIsMostlyEmpty() {
        QueryLogEntries e = new QueryLogEntries();
        for (int i = 0; i < 20_000; i++) {
            e.add(q(i, "192.168.1." + i % 200, "host" + i + ".example.org", "A"));
        }
        int flooded = e.buffer().length;
        assertThat(flooded).isGreaterThan(QueryLogEntries.TRIM_ABOVE);
        e.clear(); // it was full: kept for the next flush
        assertThat(e.buffer().length).isEqualTo(flooded);
        for (int i = 1; i < QueryLogEntries.TRIM_AFTER; i++) {
            e.add(q(1, "192.168.1.1", "quiet.example", "A"));
            e.clear(); // one quiet flush does not give it back: the next may be as busy again
            assertThat(e.buffer().length).isEqualTo(flooded);
        }
        e.add(q(1, "192.168.1.1", "quiet.example", "A"));
        e.clear(); // the flood has passed
        assertThat(e.buffer().length).isLessThan(flooded / 4);
        e.add(q(2, "192.168.1.2", "again.example", "AAAA"));
        assertThat(e.count()).isEqualTo(1);
    }

    @Test
    void appendAppliesOnceWhenRepeated() {
        List<LoggedQuery> first = List.of(q(1, "a", "x.test", "A"), q(2, "b", "y.test", "A"));
        List<LoggedQuery> second = List.of(q(3, "c", "z.test", "A"));
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        AppendToChunk one = append(first, 0);
        AppendToChunk two = append(second, 2);
        assertThat(one.process(entry)).isEqualTo(2);
        assertThat(one.process(entry)).as("a retry").isEqualTo(2);
        assertThat(two.process(entry)).isEqualTo(3);
        assertThat(one.process(entry)).isEqualTo(3);
        assertThat(two.process(entry)).isEqualTo(3);
        // a retry that overlaps what the chunk holds adds only the rest
        AppendToChunk overlapping = append(List.of(q(3, "c", "z.test", "A"), q(4, "d", "w.test", "A")), 2);
        assertThat(overlapping.process(entry)).isEqualTo(4);
        QueryLogChunk c = entry.getValue();
        assertThat(c.newestMillis()).isEqualTo(4);
        assertThat(c.oldestMillis()).isEqualTo(1);
        assertThat(search(c, QueryLogFilter.ALL, null, null, 10))
                .extracting(LoggedQuery::client)
                .containsExactly("d", "c", "b", "a");
    }

    @Test
    void aDetachedBufferLeavesItsOldArrayAsItWas() {
        QueryLogEntries e = new QueryLogEntries();
        e.add(q(1, "a", "x.test", "A"));
        e.add(q(2, "b", "y.test", "A"));
        byte[] inFlight = e.buffer();
        byte[] asSent = java.util.Arrays.copyOf(inFlight, e.byteSize());
        e.detach();
        e.dropFirst(1);
        e.add(q(3, "c", "z.test", "A"));
        assertThat(java.util.Arrays.copyOf(inFlight, asSent.length)).isEqualTo(asSent);
        assertThat(all(e)).extracting(LoggedQuery::client).containsExactly("b", "c");
    }

    @Test
    void anAppendSentToAnotherMemberCarriesOnlyItsRangeAndAppliesOnce() {
        InternalSerializationService ss = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
                .build();
        Data first = ss.toData(append(List.of(q(1, "a", "x.test", "A"), q(2, "b", "y.test", "A")), 0));
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        assertThat(ss.<AppendToChunk>toObject(first).process(entry)).isEqualTo(2);
        assertThat(ss.<AppendToChunk>toObject(first).process(entry))
                .as("a retry")
                .isEqualTo(2);
        Data second = ss.toData(append(List.of(q(2, "b", "y.test", "A"), q(3, "c", "z.test", "A")), 1));
        assertThat(ss.<AppendToChunk>toObject(second).process(entry)).isEqualTo(3);
        QueryLogChunk stored = entry.getValue();
        assertThat(stored.oldestMillis()).isEqualTo(1);
        assertThat(stored.newestMillis()).isEqualTo(3);
        QueryLogChunk copy = ss.toObject(ss.toData(stored));
        for (QueryLogChunk c : List.of(stored, copy)) {
            // neither the entry before the range nor the one after it travelled
            assertThat(search(c, QueryLogFilter.ALL, null, null, 10))
                    .extracting(LoggedQuery::client)
                    .containsExactly("c", "b", "a");
        }
    }

    /** An append of a range in the middle of a larger buffer, as the writer sends it. */
    private static AppendToChunk append(List<LoggedQuery> queries, int first) {
        QueryLogEntries e = new QueryLogEntries();
        e.add(q(99, "before", "not.this.test", "A"));
        int start = e.byteSize();
        queries.forEach(e::add);
        int end = e.byteSize();
        e.add(q(100, "after", "not.this.either.test", "A"));
        return new AppendToChunk(first, e.buffer(), start, end - start, queries.size());
    }

    private static List<LoggedQuery> search(
            QueryLogChunk c,
            QueryLogFilter f,
            @org.jspecify.annotations.Nullable QueryLogCursor before,
            @org.jspecify.annotations.Nullable QueryLogCursor after,
            int limit) {
        QueryLogSearch s = new QueryLogSearch(f, before, after, limit, 0, Map.of());
        s.scan(new QueryLogChunkKey("w", 0), c);
        return s.aggregate().stream().map(QueryLogSearch.Hit::query).toList();
    }

    @Test
    void filterMatchesExactClientAndRouterCaseInsensitiveQtypeAndDomainPart() {
        QueryLogChunk c = chunk(
                List.of(
                        q(1, "10.0.0.1", "www.example.org", "A"),
                        q(2, "10.0.0.10", "mail.example.org", "AAAA"),
                        q(3, "10.0.0.1", "example.net", "https"),
                        new LoggedQuery(4, "r2", "10.0.0.1", "cdn.example.org", "A")),
                0);
        assertThat(search(c, new QueryLogFilter("10.0.0.1", null, null, null), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L, 3L, 1L);
        assertThat(search(c, new QueryLogFilter(null, "r2", null, null), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L);
        assertThat(search(c, new QueryLogFilter(null, null, "a", null), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L, 1L);
        assertThat(search(c, new QueryLogFilter(null, null, "HTTPS", null), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(3L);
        assertThat(search(c, new QueryLogFilter(null, null, null, "EXAMPLE.ORG"), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L, 2L, 1L);
        assertThat(search(c, new QueryLogFilter("10.0.0.1", null, "A", "www"), null, null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(1L);
        assertThat(search(c, new QueryLogFilter(null, null, null, "org.example"), null, null, 10))
                .isEmpty();
        assertThat(search(c, QueryLogFilter.ALL, null, null, 2))
                .as("the newest two")
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L, 3L);
        assertThat(search(c, QueryLogFilter.ALL, new QueryLogCursor(3, "w", 0, 2), null, 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(2L, 1L);
        assertThat(search(c, QueryLogFilter.ALL, null, new QueryLogCursor(2, "w", 0, 1), 10))
                .extracting(LoggedQuery::timeMillis)
                .containsExactly(4L, 3L);
    }

    @Test
    void sameMillisecondIsOrderedByWriterChunkAndPosition() {
        QueryLogChunk c = chunk(List.of(q(7, "a", "x", "A"), q(7, "b", "x", "A"), q(7, "c", "x", "A")), 0);
        assertThat(search(c, QueryLogFilter.ALL, null, null, 10))
                .extracting(LoggedQuery::client)
                .containsExactly("c", "b", "a");
        assertThat(search(c, QueryLogFilter.ALL, new QueryLogCursor(7, "w", 0, 2), null, 10))
                .extracting(LoggedQuery::client)
                .containsExactly("b", "a");
        assertThat(QueryLogCursor.compare(7, "a", 9, 9, 7, "b", 0, 0)).isNegative();
        assertThat(QueryLogCursor.compare(7, "b", 1, 0, 7, "b", 0, 1000)).isPositive();
        assertThat(QueryLogCursor.compare(8, "a", 0, 0, 7, "b", 5, 5)).isPositive();
    }

    @Test
    void cursorsRoundTripAndAreUrlSafe() {
        QueryLogCursor c = new QueryLogCursor(1_700_000_000_000L, "[fd00::1]:5701", 123_456_789L, 1023);
        String s = c.encode();
        assertThat(s).matches("[A-Za-z0-9_-]+");
        assertThat(QueryLogCursor.decode(s)).isEqualTo(c);
    }

    @Test
    void badCursorsAreRefusedWithOneLine() {
        String good = new QueryLogCursor(5, "127.0.0.1:5701", 2, 3).encode();
        byte[] raw = Base64.getUrlDecoder().decode(good);
        byte[] otherVersion = raw.clone();
        otherVersion[0] = 9;
        byte[] badPosition = raw.clone();
        badPosition[1 + 8 + 8] = 0x7f; // position far beyond a chunk
        byte[] badUtf8 = java.util.Arrays.copyOf(raw, raw.length + 1);
        badUtf8[raw.length] = (byte) 0xff;
        for (String bad : List.of(
                "",
                "!!!",
                "abc",
                good.substring(0, 20),
                good + "*",
                Base64.getUrlEncoder().withoutPadding().encodeToString(otherVersion),
                Base64.getUrlEncoder().withoutPadding().encodeToString(badPosition),
                Base64.getUrlEncoder().withoutPadding().encodeToString(badUtf8))) {
            assertThatThrownBy(() -> QueryLogCursor.decode(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("bad cursor")
                    .hasMessageNotContaining("\n");
        }
    }
}
