package io.routerlog.store;

import io.routerlog.detect.NameShape;
import io.routerlog.detect.RegistrableDomains;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * {@code /api/v1/suspects} on a single member whose tunnel-detection map holds {@value #ENTRIES} entries: {@value
 * #DOMAINS} ordinary domains asked by a few clients each (a few names each) and one tunnel among them. Time per
 * search, with percentiles: every entry is read and every domain scored, where the entries live.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
public class SuspectSearchBenchmark {
    static final int ENTRIES = 100_000;
    static final int DOMAINS = 20_000;

    private Store store;
    private long from;

    @Setup(Level.Trial)
    public void fill() {
        store = Store.start(StoreSettings.singleNode(ENTRIES * 2, 1000, Duration.ofHours(24)));
        SplittableRandom r = new SplittableRandom(5);
        RegistrableDomains registrable = new RegistrableDomains();
        NameShape shape = new NameShape();
        long now = System.currentTimeMillis();
        long bucket = now - now % 600_000;
        from = bucket - 5 * 600_000L;
        Map<SuspectKey, SuspectStats> batch = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            String domain = "site" + (i % DOMAINS) + ".example";
            SuspectStats s = new SuspectStats();
            for (int n = 0; n < 3; n++) {
                String name = new String[] {"www", "api", "cdn", "img", "static"}[r.nextInt(5)] + "." + domain;
                s.query(1 + r.nextInt(20), name.length(), false, now);
                if (shape.measure(name, registrable.start(name) - 1)) {
                    s.names().add(shape.hash(), shape.pack());
                }
            }
            batch.put(new SuspectKey("OpenWrt", "192.168.1." + (i / DOMAINS), domain, bucket - (i % 6) * 600_000L), s);
            if (batch.size() == 10_000) {
                store.suspects().add(batch, 3_600_000, 60_000);
            }
        }
        store.suspects().add(batch, 3_600_000, 60_000);
    }

    @TearDown(Level.Trial)
    public void stop() {
        store.close();
    }

    @Benchmark
    public List<Suspect> search() {
        return store.suspects().search(from, 7);
    }
}
