package io.routerlog.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.event.DnsQuery;
import io.routerlog.store.LoggedQuery;
import io.routerlog.store.QueryLogEntries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A receive thread's staging of the query log: the newest entries kept, in order, in bounded segments. */
class QueryLogBufferTest {
    private static final byte[] ROUTER = "gw".getBytes(StandardCharsets.US_ASCII);

    private static DnsQuery query(int i) {
        return FlusherTest.query("10.0.0." + (i % 250), "n" + i + ".example", "A")
                .router(ROUTER, 0, ROUTER.length);
    }

    private static List<LoggedQuery> drain(QueryLogBuffer buffer, long[] skipped) {
        QueryLogEntries to = new QueryLogEntries();
        skipped[0] = buffer.drainTo(to);
        List<LoggedQuery> out = new ArrayList<>();
        for (int i = 0, off = 0; i < to.count(); i++, off = to.offsetAfter(off)) {
            out.add(to.entryAt(off));
        }
        return out;
    }

    @Test
    void keepsEverythingUpToItsSizeInOrder() {
        QueryLogBuffer buffer = new QueryLogBuffer(5000);
        for (int i = 0; i < 5000; i++) {
            buffer.add(i, query(i));
        }
        assertThat(buffer.count()).isEqualTo(5000);
        long[] skipped = new long[1];
        List<LoggedQuery> out = drain(buffer, skipped);
        assertThat(skipped[0]).isZero();
        assertThat(out).hasSize(5000);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).timeMillis()).isEqualTo(i);
            assertThat(out.get(i).domain()).isEqualTo("n" + i + ".example");
        }
        assertThat(buffer.count()).isZero();
    }

    @Test
    void aFloodKeepsTheNewestInAtMostOneSegmentMoreThanItsSize() {
        int max = 80_000; // segments of 10,000
        QueryLogBuffer buffer = new QueryLogBuffer(max);
        int offered = 1_234_567;
        for (int i = 0; i < offered; i++) {
            buffer.add(i, query(i));
            assertThat(buffer.segments()).isLessThanOrEqualTo(max / 10_000 + 1);
        }
        assertThat(buffer.count()).isEqualTo(max);
        long[] skipped = new long[1];
        List<LoggedQuery> out = drain(buffer, skipped);
        assertThat(skipped[0]).isEqualTo(offered - max);
        assertThat(out).hasSize(max);
        assertThat(out.get(0).timeMillis()).isEqualTo(offered - max);
        assertThat(out.get(max - 1).timeMillis()).isEqualTo(offered - 1);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).timeMillis()).isEqualTo(out.get(i - 1).timeMillis() + 1);
        }
    }

    @Test
    void skippedCountsAddUpOverDrainsAndAQuietFlushLetsTheSegmentsGo() {
        QueryLogBuffer buffer = new QueryLogBuffer(2048); // segments of 1,024
        long[] skipped = new long[1];
        for (int i = 0; i < 10_000; i++) {
            buffer.add(i, query(i));
        }
        assertThat(drain(buffer, skipped)).hasSize(2048);
        assertThat(skipped[0]).isEqualTo(10_000 - 2048);
        assertThat(buffer.segments()).as("kept for the next flush").isEqualTo(3);

        buffer.add(1, query(1));
        assertThat(drain(buffer, skipped)).hasSize(1);
        assertThat(skipped[0]).isZero();
        for (int i = 1; i < QueryLogBuffer.QUIET_DRAINS; i++) {
            assertThat(buffer.segments())
                    .as("kept while flushes may be busy again")
                    .isEqualTo(3);
            buffer.add(i, query(i));
            assertThat(drain(buffer, skipped)).hasSize(1);
        }
        assertThat(buffer.segments()).as("one is enough after quiet flushes").isEqualTo(1);
        assertThat(drain(buffer, skipped)).isEmpty();
        assertThat(buffer.segments()).isEqualTo(1);
    }

    @Test
    void aRateThatVariesFromFlushToFlushReusesItsSegments() {
        QueryLogBuffer buffer = new QueryLogBuffer(8192); // segments of 1,024
        long[] skipped = new long[1];
        java.util.Set<QueryLogEntries> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int flush = 0; flush < 40; flush++) {
            int n = flush % 2 == 0 ? 8192 : 1500; // a busy flush, then an early one
            for (int i = 0; i < n; i++) {
                buffer.add(i, query(i));
            }
            seen.addAll(buffer.segmentsInUse());
            assertThat(drain(buffer, skipped)).hasSize(n);
        }
        assertThat(seen).as("no segment made after the first busy flush").hasSize(8);
    }

    @Test
    void aSizeBelowOneSegmentIsOneSegmentAndItsSpare() {
        QueryLogBuffer buffer = new QueryLogBuffer(3);
        for (int i = 0; i < 10; i++) {
            buffer.add(i, query(i));
        }
        assertThat(buffer.segments()).isEqualTo(2);
        long[] skipped = new long[1];
        assertThat(drain(buffer, skipped)).extracting(LoggedQuery::timeMillis).containsExactly(7L, 8L, 9L);
        assertThat(skipped[0]).isEqualTo(7);
    }
}
