package io.routerlog.aggregate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.routerlog.event.DnsQuery;
import io.routerlog.framing.SyslogFrameDecoder;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.syslog.SyslogFrameParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receive path of one thread on realistic OpenWrt logd lines whose (client, domain, qtype) pairs are already
 * known to the aggregator (the steady state of a network): ns per line and, with {@code -prof gc}, bytes allocated
 * per line ({@code gc.alloc.rate.norm}: every benchmark counts one operation per line).
 *
 * <ul>
 *   <li>{@code tcpStream}: the whole chain as a TCP connection runs it: {@link SyslogFrameDecoder} (newline framing)
 *       over a buffer of {@value #LINES} lines, syslog header, router, dnsmasq parser, local aggregation;</li>
 *   <li>{@code frame}: the same without the frame decoder (what one UDP datagram costs after Netty);</li>
 *   <li>{@code dnsmasqParse}: the dnsmasq parser and aggregation on the message part only;</li>
 *   <li>{@code aggregateKnownPair}: {@link LocalAggregator#query} of a known pair.</li>
 * </ul>
 * The line mix is dnsmasq's: each query followed by forwarded + reply (60%), cached (30%) or a block-list answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m", "-XX:+UseSerialGC"})
public class ReceivePathBenchmark {
    static final int LINES = 4096;
    private static final String[] TYPES = {"A", "A", "A", "AAAA", "AAAA", "HTTPS", "PTR", "TXT", "MX", "SRV"};

    /** Distinct clients; with the domain distribution this gives the number of known pairs. */
    @Param({"200"})
    int clients;

    private PipelineCounters counters;
    private LocalAggregator aggregator;
    private SyslogFrameParser parser;
    private DnsmasqParser dnsmasq;
    private EmbeddedChannel channel;
    private ByteBuf stream;
    private byte[][] lines;
    private int[] messageOffsets;
    private int[] lineStarts;
    private byte[] work = new byte[2048];
    private DnsQuery[] queries;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        lines = realisticLines(LINES, clients, 1);
        counters = new PipelineCounters();
        // the query log at its default size, as a node runs: each query is also packed into the batch's log
        aggregator = new LocalAggregator(
                100_000, io.routerlog.store.StoreSettings.DEFAULT_QUERY_LOG_SIZE, counters, () -> {});
        Rules rules = new Rules(List.of(), List.of(), ClientAnonymizer.none(), counters, aggregator);
        dnsmasq = new DnsmasqParser(rules, counters, System::currentTimeMillis);
        parser = new SyslogFrameParser(new MessageRouter(counters.programs().local(), dnsmasq), counters);
        channel = new EmbeddedChannel(new SyslogFrameDecoder(64 * 1024, parser, counters));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        messageOffsets = new int[LINES];
        lineStarts = new int[LINES];
        for (int i = 0; i < LINES; i++) {
            lineStarts[i] = all.size();
            all.writeBytes(lines[i]);
            all.write('\n');
            messageOffsets[i] = indexOf(lines[i], ": ".getBytes(StandardCharsets.US_ASCII)) + 2;
        }
        stream = Unpooled.directBuffer(all.size()).writeBytes(all.toByteArray());
        // pairs for aggregateKnownPair
        List<DnsQuery> qs = new ArrayList<>();
        for (byte[] l : lines) {
            String s = new String(l, StandardCharsets.US_ASCII);
            int q = s.indexOf("query[");
            if (q < 0) {
                continue;
            }
            int te = s.indexOf(']', q);
            int from = s.indexOf(" from ", te);
            byte[] b = l.clone();
            qs.add(new DnsQuery().set(b, from + 6, s.length() - from - 6, te + 2, from - te - 2, q + 6, te - q - 6));
        }
        queries = qs.toArray(DnsQuery[]::new);
        // make every pair known
        for (byte[] l : lines) {
            parser.parse(l.clone(), 0, l.length);
        }
        channel.writeInbound(stream.retainedDuplicate());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        stream.release();
    }

    /** Takes the aggregator's batch now and then, as the flusher does, keeping the known pairs. */
    @TearDown(Level.Iteration)
    public void flush() {
        Batch b = aggregator.take();
        b.pairs.drainTo((key, off, len, hash, count) -> {}, (key, off, len, hash, count) -> {});
        b.pairs.recycle();
        b.replies.drainTo((key, off, len, hash, count) -> {});
        b.replies.recycle();
        aggregator.giveBack(b);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void tcpStream() {
        channel.writeInbound(stream.retainedDuplicate());
    }

    @Benchmark
    public void frame() {
        int i = next;
        next = (next + 1) & (LINES - 1);
        // what the frame decoder and the datagram handler call: a range of a (direct) ByteBuf
        parser.frame(stream, lineStarts[i], lines[i].length);
    }

    @Benchmark
    public void dnsmasqParse() {
        byte[] l = lines[next];
        int off = messageOffsets[next];
        next = (next + 1) & (LINES - 1);
        System.arraycopy(l, 0, work, 0, l.length);
        dnsmasq.parse(work, off, l.length - off);
    }

    @Benchmark
    public void aggregateKnownPair() {
        DnsQuery q = queries[next];
        next = next + 1 == queries.length ? 0 : next + 1;
        aggregator.query(q);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code n} lines as OpenWrt's logd sends dnsmasq's {@code log-queries=extra} output, Zipf-distributed domains. */
    public static byte[][] realisticLines(int n, int clients, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int domains = 2000;
        double[] cdf = new double[domains];
        double sum = 0;
        for (int i = 0; i < domains; i++) {
            sum += 1 / Math.pow(i + 1, 1.1);
            cdf[i] = sum;
        }
        String header = "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1234]: ";
        List<byte[]> out = new ArrayList<>();
        long serial = 1000;
        while (out.size() < n) {
            int c = random.nextInt(clients);
            String client = "192.168." + (c >> 8) + "." + (c & 0xff);
            double u = random.nextDouble() * sum;
            int d = Arrays.binarySearch(cdf, u);
            d = Math.min(domains - 1, d < 0 ? -d - 1 : d);
            String domain = (d % 5 == 0 ? "www." : "") + "site" + d + (d % 3 == 0 ? ".example.com" : ".example.net");
            String type = TYPES[random.nextInt(TYPES.length)];
            String prefix = header + (++serial) + " " + client + "/" + (1024 + random.nextInt(60000)) + " ";
            out.add((prefix + "query[" + type + "] " + domain + " from " + client).getBytes(StandardCharsets.US_ASCII));
            int outcome = random.nextInt(10);
            if (outcome < 6) {
                out.add((prefix + "forwarded " + domain + " to 192.168.1.1").getBytes(StandardCharsets.US_ASCII));
                out.add((prefix + "reply " + domain + " is 203.0.113." + random.nextInt(256))
                        .getBytes(StandardCharsets.US_ASCII));
            } else if (outcome < 9) {
                out.add((prefix + "cached " + domain + " is 203.0.113." + random.nextInt(256))
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                out.add((prefix + "config " + domain + " is 0.0.0.0").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.subList(0, n).toArray(byte[][]::new);
    }
}
