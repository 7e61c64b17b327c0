package io.routerlog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.routerlog.bytes.IpText;
import io.routerlog.event.DhcpLease;
import io.routerlog.event.DhcpRelease;
import io.routerlog.framing.DatagramFrames;
import io.routerlog.framing.SyslogFrameDecoder;
import io.routerlog.rules.ClientAnonymizer;
import io.routerlog.rules.Names;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.testing.DnsmasqChain;
import io.routerlog.testing.NettyLeakCheck;
import io.routerlog.testing.RecordingSink;
import io.routerlog.testing.RecordingSink.Query;
import io.routerlog.testing.RecordingSink.Tunnel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzzing of the receive path: framing, syslog parsing, the parsers and the rules, fed arbitrary
 * bytes in arbitrary pieces. Properties: no exception escapes and none is swallowed inside (no
 * {@code internal_error}), every buffer is released (and Netty's PARANOID leak detector reports nothing), what
 * reaches the aggregation is in stored form (a canonical address, a name of printable ASCII within 253 characters),
 * and a valid message after any garbage is still parsed. In an ordinary test run the inputs under src/test/resources are replayed; {@code scripts/fuzz.sh}
 * fuzzes for longer.
 */
@ExtendWith(NettyLeakCheck.class)
class ReceivePathFuzzTest {
    private static final int MAX_FRAME = 256;
    private static final String CANARY = "<30>Jan  5 02:03:04 OpenWrt dnsmasq[1]: query[A] canary.test from 10.99.0.1";

    /**
     * Reads every part of every event, as the aggregation would, after the run (inside a call an assertion would
     * only be counted as {@code internal_error}); true if the canary is among the queries.
     */
    private static boolean checkEvents(RecordingSink sink) {
        boolean canary = false;
        for (Query q : sink.queries) {
            String client = q.client();
            String domain = q.domain();
            assertThat(q.qtype()).isNotEmpty().matches("[ -~]+");
            assertThat(IpText.isAddress(client)).as(client).isTrue();
            assertThat(domain.length()).isLessThanOrEqualTo(Names.MAX_NAME_LENGTH);
            assertThat(domain).matches("[ -~]+").doesNotContain("\n");
            canary |= client.equals("10.99.0.1") && domain.equals("canary.test");
        }
        for (Tunnel t : sink.tunnels) {
            assertThat(t.sender()).isNotNull();
            assertThat(t.wireBytes()).isPositive();
        }
        assertThat(sink.replies).doesNotContainNull();
        for (DhcpLease lease : sink.leases) {
            assertThat(lease.ip()).isNotEmpty();
        }
        for (DhcpRelease release : sink.releases) {
            assertThat(release.ip()).isNotEmpty();
        }
        return canary;
    }

    /** The receive path after the framing, with an ignore list and a DNSTT domain so that the rules do work. */
    private static DnsmasqChain chain() {
        return new DnsmasqChain(List.of("*.ignored.*"), List.of("t.example.com"), ClientAnonymizer.none());
    }

    private static ByteBuf buffer(byte[] bytes) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, bytes.length));
        b.writeBytes(bytes);
        return b;
    }

    @FuzzTest(maxDuration = "5m")
    void tcpStream(FuzzedDataProvider data) {
        DnsmasqChain chain = chain();
        PipelineCounters counters = chain.counters;
        RecordingSink sink = chain.sink;
        EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(MAX_FRAME, chain.frames(), counters));
        List<ByteBuf> written = new ArrayList<>();
        while (data.remainingBytes() > 0) {
            ByteBuf b = buffer(data.consumeBytes(1 + data.consumeInt(0, 400)));
            written.add(b);
            ch.writeInbound(b);
        }
        // after at most MAX_FRAME delimiters any garbage is behind
        ByteBuf tail = buffer(("\n".repeat(MAX_FRAME + 1) + CANARY + "\n").getBytes(StandardCharsets.US_ASCII));
        written.add(tail);
        ch.writeInbound(tail);
        ch.finishAndReleaseAll();
        assertThat(checkEvents(sink))
                .as("the message after the garbage was parsed")
                .isTrue();
        assertThat(counters.dropCount(DropReason.INTERNAL_ERROR)).isZero();
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).isZero();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void datagrams(FuzzedDataProvider data) {
        DnsmasqChain chain = chain();
        PipelineCounters counters = chain.counters;
        RecordingSink sink = chain.sink;
        DatagramFrames frames = new DatagramFrames(MAX_FRAME, chain.frames(), counters);
        InetSocketAddress from = new InetSocketAddress("127.0.0.2", 40000);
        while (data.remainingBytes() > 0) {
            ByteBuf b = buffer(data.consumeBytes(data.consumeInt(0, 600)));
            try {
                frames.datagram(b, from);
            } finally {
                b.release();
            }
        }
        ByteBuf canary = buffer(CANARY.getBytes(StandardCharsets.US_ASCII));
        try {
            frames.datagram(canary, from);
        } finally {
            canary.release();
        }
        assertThat(checkEvents(sink)).isTrue();
        assertThat(counters.dropCount(DropReason.INTERNAL_ERROR)).isZero();
    }
}
