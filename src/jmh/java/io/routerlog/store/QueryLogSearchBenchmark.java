package io.routerlog.store;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A search of a full query log of {@value #ENTRIES} entries on a single member, through {@link QueryLog#search} (the
 * Hazelcast aggregation included): time per search, with percentiles (the target is well under 100 ms).
 *
 * <ul>
 *   <li>{@code client}: one client's newest 100 (one client in {@value #CLIENTS});</li>
 *   <li>{@code domainPart}: the newest 100 whose name contains a part (about one entry in {@value #DOMAINS} / 20);
 *   </li>
 *   <li>{@code rareDomain}: a part no name contains: every entry is compared, nothing enters the heap;</li>
 *   <li>{@code newest}: no filter, the newest 100.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
public class QueryLogSearchBenchmark {
    static final int ENTRIES = 100_000;
    static final int CLIENTS = 200;
    static final int DOMAINS = 5000;

    private Store store;
    private QueryLog log;
    private final QueryLogFilter client = new QueryLogFilter("192.168.1.77", null, null, null);
    private final QueryLogFilter domainPart = new QueryLogFilter(null, null, null, "site42");
    private final QueryLogFilter rareDomain = new QueryLogFilter(null, null, null, "no-such-name");

    @Setup(Level.Trial)
    public void fill() {
        store = Store.start(
                StoreSettings.singleNode(2710, 1000, Duration.ofHours(24)).withQueryLogSize(ENTRIES));
        log = store.queryLog();
        SplittableRandom random = new SplittableRandom(7);
        long t = System.currentTimeMillis() - ENTRIES;
        QueryLogEntries batch = new QueryLogEntries(1 << 20);
        for (int i = 0; i < ENTRIES; i++) {
            batch.add(new LoggedQuery(
                    t + i,
                    "",
                    "192.168.1." + random.nextInt(CLIENTS),
                    "host" + random.nextInt(20) + ".site" + random.nextInt(DOMAINS) + ".example.com",
                    random.nextInt(4) == 0 ? "AAAA" : "A"));
            if (batch.count() == 5000) {
                log.append(batch, 60_000);
            }
        }
        log.append(batch, 60_000);
        if (log.size() != ENTRIES) {
            throw new IllegalStateException("the log holds " + log.size());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        store.close();
    }

    @Benchmark
    public List<LoggedQuery> client() {
        return log.search(client, null, null, 100).items();
    }

    @Benchmark
    public List<LoggedQuery> domainPart() {
        return log.search(domainPart, null, null, 100).items();
    }

    @Benchmark
    public List<LoggedQuery> rareDomain() {
        return log.search(rareDomain, null, null, 100).items();
    }

    @Benchmark
    public List<LoggedQuery> newest() {
        return log.search(QueryLogFilter.ALL, null, null, 100).items();
    }
}
