package io.routerlog.source;

import io.routerlog.aggregate.Batches;
import io.routerlog.aggregate.LocalAggregator;
import io.routerlog.aggregate.ReceivePathBenchmark;
import io.routerlog.parser.DnsmasqParser;
import io.routerlog.parser.MessageRouter;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Rules;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.syslog.SyslogFrameParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The UDP receive path from the socket: each operation sends one realistic OpenWrt logd datagram over loopback and
 * has the receiving socket's {@link DatagramReceiver.Reader} read it (the blocking receive the receive thread
 * makes), frame it and run it through the syslog parser, the dnsmasq parser, the rules and the local aggregation
 * of known pairs. Both ends run on the benchmark's thread, so {@code ns/op} is the system calls of both plus the
 * chain, and {@code gc.alloc.rate.norm} ({@code -prof gc}) is what one datagram allocates on either side: 0 once
 * the batch's query-log segments have grown to their working size during the warm-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m", "-XX:+UseSerialGC"})
public class UdpReceiveBenchmark {
    private static final int LINES = 4096;

    @Param({"200"})
    int clients;

    private LocalAggregator aggregator;
    private DatagramChannel receiving;
    private DatagramChannel sending;
    private DatagramReceiver.Reader reader;
    private ByteBuffer pool;
    private int[] starts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[][] lines = ReceivePathBenchmark.realisticLines(LINES, clients, 1);
        PipelineCounters counters = new PipelineCounters();
        aggregator = Batches.aggregator(counters);
        Rules rules = new Rules(List.of(), List.of(), ClientAnonymizer.none(), counters, aggregator);
        DnsmasqParser dnsmasq = new DnsmasqParser(rules, counters, System::currentTimeMillis);
        SyslogFrameParser parser =
                new SyslogFrameParser(new MessageRouter(counters.programs().local(), dnsmasq), counters);
        for (byte[] l : lines) {
            parser.parse(l.clone(), 0, l.length); // every pair known, as in a network's steady state
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        receiving = DatagramChannel.open(StandardProtocolFamily.INET);
        receiving.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        receiving.bind(new InetSocketAddress(loopback, 0));
        reader = new DatagramReceiver.Reader(
                receiving,
                8192,
                8190,
                new SenderFilter(AddressRanges.parse(List.of("any")), counters),
                () -> parser,
                counters);
        sending = DatagramChannel.open(StandardProtocolFamily.INET);
        sending.connect(receiving.getLocalAddress());
        int total = 0;
        for (byte[] l : lines) {
            total += l.length;
        }
        pool = ByteBuffer.allocateDirect(total);
        starts = new int[LINES + 1];
        for (int i = 0; i < LINES; i++) {
            starts[i] = pool.position();
            pool.put(lines[i]);
        }
        starts[LINES] = pool.position();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sending.close();
        receiving.close();
    }

    /** Takes the aggregator's batch now and then, as the flusher does, keeping the known pairs. */
    @TearDown(Level.Iteration)
    public void flush() {
        Batches.flush(aggregator);
    }

    @Benchmark
    public boolean datagram() throws IOException {
        int i = next;
        next = (i + 1) & (LINES - 1);
        pool.limit(starts[i + 1]).position(starts[i]);
        sending.write(pool);
        return reader.readOne();
    }
}
