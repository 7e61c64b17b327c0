package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What appending to the query log allocates: on the writing (flush) thread only the handful of objects per chunk
 * that Hazelcast's calls need, not a copy of the entries; in a chunk, about the room its entries take, not the
 * steps of an array doubled again and again.
 */
class QueryLogAllocationTest {
    private static final long TIMEOUT = 30_000;
    private static final int PER_FLUSH = 10 * QueryLog.CHUNK;

    private static LoggedQuery query(long time, int i) {
        return new LoggedQuery(time, "r1", "192.168.1." + (i % 200), "host" + (i % 500) + ".alloc.test", "AAAA");
    }

    @Test
    void aFlushOfTheQueryLogCopiesNoEntriesOnTheWritingThread() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        StoreSettings settings = StoreSettings.singleNode(2710, 1000, Duration.ofHours(1));
        try (Store store = Store.start(settings.withQueryLogSize(4 * PER_FLUSH))) {
            QueryLog log = store.queryLog();
            QueryLogEntries entries = new QueryLogEntries();
            long time = System.currentTimeMillis() - 60_000; // within the retention
            long least = Long.MAX_VALUE;
            int bytes = 0;
            for (int flush = 0; flush < 12; flush++) {
                for (int i = 0; i < PER_FLUSH; i++) {
                    entries.add(query(time++, i));
                }
                bytes = entries.byteSize();
                long before = threads.getThreadAllocatedBytes(self);
                log.append(entries, TIMEOUT);
                long allocated = threads.getThreadAllocatedBytes(self) - before;
                assertThat(entries.count()).as("all written").isZero();
                if (flush >= 4) {
                    least = Math.min(least, allocated);
                }
            }
            System.out.println("query log append: " + least + " bytes allocated for " + bytes + " bytes of entries");
            // a copy of the entries alone would be `bytes`
            assertThat(least).isLessThan(bytes / 10);
            assertThat(log.size()).isEqualTo(4 * PER_FLUSH);
            QueryLogPage newest = log.search(QueryLogFilter.ALL, null, null, 1);
            assertThat(newest.items()).containsExactly(query(time - 1, PER_FLUSH - 1));
        }
    }

    @Test
    void aSteadyLogReusesTheArraysOfTheChunksItRemoves() {
        StoreSettings settings = StoreSettings.singleNode(2710, 1000, Duration.ofHours(1));
        try (Store store = Store.start(settings.withQueryLogSize(4 * PER_FLUSH))) {
            QueryLog log = store.queryLog();
            ChunkArrays.clear(); // other tests' arrays, of other sizes, would be taken and let go
            // the chunks are written on the partition threads: count them and this thread
            ThreadAllocations appending = ThreadAllocations.partitionThreads(store, true);
            assertThat(appending.threads())
                    .as("this thread and the partition threads")
                    .isGreaterThan(1);
            QueryLogEntries entries = new QueryLogEntries();
            long time = System.currentTimeMillis() - 60_000;
            long least = Long.MAX_VALUE;
            int bytes = 0;
            for (int flush = 0; flush < 16; flush++) {
                for (int i = 0; i < PER_FLUSH; i++) {
                    entries.add(query(time++, i));
                }
                bytes = entries.byteSize();
                long before = appending.allocated();
                log.append(entries, TIMEOUT);
                long allocated = appending.allocated() - before;
                if (flush >= 8) { // the log is full and removes a chunk for every chunk it starts
                    least = Math.min(least, allocated);
                }
            }
            System.out.println("steady query log: " + least + " bytes allocated for " + bytes + " bytes of entries");
            // new chunk arrays alone would be `bytes`: the chunks an append pushes out leave first, and the new
            // ones take their arrays
            assertThat(least).isLessThan(bytes / 8);
            assertThat(log.size()).isEqualTo(4 * PER_FLUSH);
            List<LoggedQuery> newest =
                    log.search(QueryLogFilter.ALL, null, null, 3).items();
            assertThat(newest)
                    .containsExactly(
                            query(time - 1, PER_FLUSH - 1),
                            query(time - 2, PER_FLUSH - 2),
                            query(time - 3, PER_FLUSH - 3));
        }
    }

    /** Chunk 0 of writer "w", filled by one append of {@link QueryLog#CHUNK} entries from time 1,000 on. */
    private static Map.Entry<QueryLogChunkKey, QueryLogChunk> fullChunk() {
        QueryLogEntries e = new QueryLogEntries();
        for (int i = 0; i < QueryLog.CHUNK; i++) {
            e.add(query(1_000 + i, i));
        }
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        new AppendToChunk(0, e.buffer(), 0, e.byteSize(), e.count()).process(entry);
        return entry;
    }

    @Test
    void aRetiredChunkGivesItsArrayToTheNextAndSearchesDropWhatTheyReadFromIt() {
        ChunkArrays.clear();
        Map.Entry<QueryLogChunkKey, QueryLogChunk> old = fullChunk();
        QueryLogChunk retired = old.getValue();
        byte[] array = retired.data();

        RetireChunk.INSTANCE.process(old);
        assertThat(old.getValue()).as("removed from the map").isNull();
        assertThat(retired.retired()).isTrue();
        assertThat(ChunkArrays.kept()).isEqualTo(1);

        // the next chunk takes the array and writes other entries into it, shorter ones first
        QueryLogEntries other = new QueryLogEntries();
        for (int i = 0; i < 10; i++) {
            other.add(new LoggedQuery(5_000 + i, "r2", "10.0.0." + i, "x.test", "A"));
        }
        Map.Entry<QueryLogChunkKey, QueryLogChunk> next =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 5), new QueryLogChunk());
        new AppendToChunk(0, other.buffer(), 0, other.byteSize(), other.count()).process(next);
        assertThat(next.getValue().data()).isSameAs(array);
        assertThat(ChunkArrays.kept()).isZero();

        // a search still holding the retired chunk reads the next chunk's bytes as if they were its own: dropped
        QueryLogSearch stale = new QueryLogSearch(QueryLogFilter.ALL, null, null, 100, 0, Map.of());
        stale.scan(new QueryLogChunkKey("w", 0), retired);
        assertThat(stale.aggregate()).isEmpty();
        QueryLogSearch current = new QueryLogSearch(QueryLogFilter.ALL, null, null, 100, 0, Map.of());
        current.scan(new QueryLogChunkKey("w", 5), next.getValue());
        assertThat(current.aggregate())
                .hasSize(10)
                .first()
                .extracting(h -> h.query().timeMillis())
                .isEqualTo(5_009L);
        // retiring it again (a retry) gives nothing back twice
        RetireChunk.INSTANCE.process(old);
        assertThat(ChunkArrays.kept()).isZero();
    }

    @Test
    void anAppendFromAnotherMemberStartsItsChunkInAnArrayARetiredChunkLeft() {
        ChunkArrays.clear();
        InternalSerializationService ss = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization())
                .build();
        Map.Entry<QueryLogChunkKey, QueryLogChunk> old = fullChunk();
        byte[] array = old.getValue().data();
        RetireChunk.INSTANCE.process(old);
        assertThat(ChunkArrays.kept()).isEqualTo(1);

        // an append that continues a chunk does not take it: the chunk it lands in has its own array
        QueryLogEntries some = new QueryLogEntries();
        for (int i = 0; i < 10; i++) {
            some.add(new LoggedQuery(5_000 + i, "r2", "10.0.0." + i, "x.test", "A"));
        }
        Data later = ss.toData(new AppendToChunk(3, some.buffer(), 0, some.byteSize(), some.count()));
        ss.<AppendToChunk>toObject(later);
        assertThat(ChunkArrays.kept()).isEqualTo(1);

        // the first append of a backup chunk, as it arrives from the primary: read into the kept array
        Data first = ss.toData(new AppendToChunk(0, some.buffer(), 0, some.byteSize(), some.count()));
        Map.Entry<QueryLogChunkKey, QueryLogChunk> backup =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 10), new QueryLogChunk());
        assertThat(ss.<AppendToChunk>toObject(first).process(backup)).isEqualTo(10);
        assertThat(ChunkArrays.kept()).isZero();
        assertThat(backup.getValue().data()).isSameAs(array);

        // the next append fills the rest of that array in place
        QueryLogEntries more = new QueryLogEntries();
        for (int i = 10; i < 20; i++) {
            more.add(new LoggedQuery(5_000 + i, "r2", "10.0.0." + i, "y.test", "AAAA"));
        }
        Data next = ss.toData(new AppendToChunk(10, more.buffer(), 0, more.byteSize(), more.count()));
        assertThat(ss.<AppendToChunk>toObject(next).process(backup)).isEqualTo(20);
        assertThat(backup.getValue().data()).isSameAs(array);
        QueryLogSearch search = new QueryLogSearch(QueryLogFilter.ALL, null, null, 100, 0, Map.of());
        search.scan(new QueryLogChunkKey("w", 10), backup.getValue());
        assertThat(search.aggregate())
                .extracting(h -> h.query().timeMillis())
                .containsExactlyElementsOf(java.util.stream.LongStream.iterate(5_019, t -> t - 1)
                        .limit(20)
                        .boxed()
                        .toList());
    }

    @Test
    void aChunkFilledOneEntryAtATimeGrowsAboutOnce() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        List<byte[]> appends = new java.util.ArrayList<>();
        for (int i = 0; i < QueryLog.CHUNK; i++) {
            QueryLogEntries e = new QueryLogEntries();
            e.add(query(i, i));
            appends.add(java.util.Arrays.copyOf(e.buffer(), e.byteSize()));
        }
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        List<AppendToChunk> ops = new java.util.ArrayList<>();
        long total = 0;
        for (int i = 0; i < appends.size(); i++) {
            byte[] b = appends.get(i);
            ops.add(new AppendToChunk(i, b, 0, b.length, 1));
            total += b.length;
        }
        long before = threads.getThreadAllocatedBytes(self);
        for (AppendToChunk op : ops) {
            op.process(entry);
        }
        long allocated = threads.getThreadAllocatedBytes(self) - before;
        assertThat(entry.getValue().count()).isEqualTo(QueryLog.CHUNK);
        System.out.println("chunk: " + allocated + " bytes allocated for " + total + " bytes of entries");
        // doubling from 256 bytes allocates about twice what the chunk ends up holding
        assertThat(allocated).isLessThan(total * 3 / 2);
    }

    @Test
    void aChunkFilledByOneAppendTakesItsEntriesAndAnEighthMore() {
        ChunkArrays.clear(); // a kept array may be larger
        QueryLogEntries e = new QueryLogEntries();
        for (int i = 0; i < QueryLog.CHUNK; i++) {
            e.add(query(i, i));
        }
        Map.Entry<QueryLogChunkKey, QueryLogChunk> entry =
                new AbstractMap.SimpleEntry<>(new QueryLogChunkKey("w", 0), new QueryLogChunk());
        new AppendToChunk(0, e.buffer(), 0, e.byteSize(), e.count()).process(entry);
        assertThat(entry.getValue().count()).isEqualTo(QueryLog.CHUNK);
        // the eighth more lets the array serve the next chunks too (ChunkArrays), whose entries may be longer
        assertThat(entry.getValue().data()).hasSize(e.byteSize() + e.byteSize() / 8);
    }
}
