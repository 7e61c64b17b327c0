package io.routerlog.aggregate;

import io.routerlog.detect.DetectSettings;
import io.routerlog.store.PairBytes;
import io.routerlog.store.PairKey;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import java.time.Duration;
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
 * What tunnel detection costs the flush thread: measuring one distinct pair as a flush drains it (registrable domain,
 * name shape, sample, the pending stats of its client and domain). Runs on the flush thread once per distinct pair
 * per flush, never on a receive thread.
 *
 * <ul>
 *   <li>{@code ordinaryPair}: names under {@value #DOMAINS} domains a flush has seen before (the common case);</li>
 *   <li>{@code tunnelPair}: a new random 60-character name under one domain each time (a tunnel or a flood).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
public class SuspectMeasureBenchmark {
    static final int DOMAINS = 2000;
    static final int NAMES = 1 << 14;

    private Store store;
    private SuspectPart part;
    /** What the flush keeps per pair between flushes: a steady working set finds its entries here. */
    private final PairMemo memo = new PairMemo(1 << 20);

    private final PairView view = new PairView();
    /** Keys as the receive threads build them. */
    private final byte[][] ordinary = new byte[NAMES][];

    private final byte[][] tunnel = new byte[NAMES][];
    private int next;

    @Setup(Level.Trial)
    public void start() {
        store = Store.start(StoreSettings.singleNode(27_100, 1000, Duration.ofHours(24)));
        part = new SuspectPart(
                store.suspects(),
                DetectSettings.defaults(),
                Duration.ofHours(24).toMillis(),
                1 << 20,
                System::currentTimeMillis);
        SplittableRandom r = new SplittableRandom(3);
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        for (int i = 0; i < NAMES; i++) {
            ordinary[i] = PairBytes.of(new PairKey(
                    "OpenWrt",
                    "192.168.1." + r.nextInt(40),
                    new String[] {"www", "api", "cdn", "img"}[r.nextInt(4)] + ".site" + r.nextInt(DOMAINS) + ".com",
                    "A"));
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < 60; c++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            tunnel[i] = PairBytes.of(new PairKey("OpenWrt", "192.168.1.66", b + ".t.tunnel.example", "TXT"));
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        store.close();
    }

    @Benchmark
    public void ordinaryPair() {
        int i = next;
        next = (next + 1) & (NAMES - 1);
        query(ordinary[i]);
    }

    @Benchmark
    public void tunnelPair() {
        int i = next;
        next = (next + 1) & (NAMES - 1);
        query(tunnel[i]);
    }

    /** What the flush does with a drained pair's key. */
    private void query(byte[] key) {
        view.set(key, 0, key.length);
        part.query(view, memo.of(key, 0, key.length, PairBytes.hash(key, 0, key.length)), 1);
    }
}
