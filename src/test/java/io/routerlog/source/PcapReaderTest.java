package io.routerlog.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.routerlog.parser.DnsMessageSink;
import io.routerlog.stats.PacketCounters;
import io.routerlog.testing.PcapWriter;
import io.routerlog.testing.PcapWriter.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

class PcapReaderTest {
    private final List<String> seen = new ArrayList<>();
    private final PacketCounters counters = new PacketCounters();
    private final DnsMessageSink sink = (buf, src, dst, addrLen, off, len) -> {
        try {
            seen.add(InetAddress.getByAddress(Arrays.copyOfRange(buf, src, src + addrLen))
                            .getHostAddress() + ">"
                    + InetAddress.getByAddress(Arrays.copyOfRange(buf, dst, dst + addrLen))
                            .getHostAddress() + " "
                    + new org.xbill.DNS.Message(Arrays.copyOfRange(buf, off, off + len))
                            .getQuestion()
                            .getName()
                    + " " + len);
        } catch (IOException e) {
            seen.add("undecodable " + len);
        }
    };

    private void read(byte[] capture) throws IOException {
        new PcapReader(sink, counters, 53).read(new ByteArrayInputStream(capture));
    }

    private static final byte[] Q = PcapWriter.query(1, "www.example.com", Type.A);
    private static final byte[] Q6 = PcapWriter.query(2, "v6.example.org", Type.AAAA);

    /** One UDP/IPv4 query, its response, one UDP/IPv6 query and one TCP/IPv4 query, in {@code format}. */
    private static byte[] sample(Format format, int linkType) {
        return new PcapWriter(format, linkType)
                .ip(PcapWriter.udp("192.168.1.20", 40000, "192.168.1.1", 53, Q))
                .ip(PcapWriter.udp("192.168.1.1", 53, "192.168.1.20", 40000, PcapWriter.response(Q, 0, 1)))
                .ip(PcapWriter.udp("fd00::20", 40001, "fd00::1", 53, Q6))
                .ip(PcapWriter.tcp("192.168.1.21", 40002, "192.168.1.1", 53, PcapWriter.tcpDns(Q)))
                .bytes();
    }

    private static final List<String> SAMPLE = List.of(
            "192.168.1.20>192.168.1.1 www.example.com. " + Q.length,
            "192.168.1.1>192.168.1.20 www.example.com. " + PcapWriter.response(Q, 0, 1).length,
            "fd00:0:0:0:0:0:0:20>fd00:0:0:0:0:0:0:1 v6.example.org. " + Q6.length,
            "192.168.1.21>192.168.1.1 www.example.com. " + Q.length);

    @ParameterizedTest
    @EnumSource(Format.class)
    void readsEveryFormat(Format format) throws IOException {
        read(sample(format, PcapWriter.ETHERNET));
        assertThat(seen).containsExactlyElementsOf(SAMPLE);
        assertThat(counters.packets.sum()).isEqualTo(4);
        assertThat(counters.dnsMessages.sum()).isEqualTo(4);
        assertThat(counters.truncatedFiles.sum() + counters.malformed.sum() + counters.notDns.sum())
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {PcapWriter.ETHERNET, PcapWriter.SLL, PcapWriter.SLL2, PcapWriter.RAW, 12})
    void readsEveryLinkType(int linkType) throws IOException {
        int writeAs = linkType == 12 ? PcapWriter.RAW : linkType;
        PcapWriter w = new PcapWriter(Format.PCAP_LE, linkType);
        w.frame(PcapWriter.link(writeAs, PcapWriter.udp("10.0.0.2", 1234, "10.0.0.1", 53, Q)));
        w.frame(PcapWriter.link(writeAs, PcapWriter.udp("2001:db8::2", 1234, "2001:db8::1", 53, Q)));
        read(w.bytes());
        assertThat(seen)
                .containsExactly(
                        "10.0.0.2>10.0.0.1 www.example.com. " + Q.length,
                        "2001:db8:0:0:0:0:0:2>2001:db8:0:0:0:0:0:1 www.example.com. " + Q.length);
    }

    @Test
    void gzipCompressedFilesAreReadLikeThePlainOnes() throws IOException {
        read(PcapWriter.gzip(sample(Format.PCAP_LE, PcapWriter.ETHERNET)));
        read(PcapWriter.gzip(sample(Format.PCAPNG_BE, PcapWriter.SLL2)));
        List<String> twice = new ArrayList<>(SAMPLE);
        twice.addAll(SAMPLE);
        assertThat(seen).containsExactlyElementsOf(twice);
        assertThat(counters.bytes.sum()).isPositive();
    }

    @Test
    void vlanTagsAndSeveralTcpMessagesInOneSegment() throws IOException {
        byte[] q2 = PcapWriter.query(3, "b.example", Type.TXT);
        read(new PcapWriter(Format.PCAP_BE, PcapWriter.ETHERNET)
                .frame(PcapWriter.vlanEthernet(PcapWriter.udp("10.1.1.1", 5, "10.1.1.2", 53, Q)))
                .ip(PcapWriter.tcp("10.1.1.1", 5000, "10.1.1.2", 53, PcapWriter.tcpDns(Q, q2)))
                .bytes());
        assertThat(seen)
                .containsExactly(
                        "10.1.1.1>10.1.1.2 www.example.com. " + Q.length,
                        "10.1.1.1>10.1.1.2 www.example.com. " + Q.length,
                        "10.1.1.1>10.1.1.2 b.example. " + q2.length);
    }

    @Test
    void otherTrafficAndSplitTcpMessagesAreCountedAndSkipped() throws IOException {
        byte[] prefixed = PcapWriter.tcpDns(Q);
        read(new PcapWriter(Format.PCAPNG_LE, PcapWriter.ETHERNET)
                .ip(PcapWriter.udp("10.0.0.2", 1234, "10.0.0.1", 5353, Q)) // mDNS port: not ours
                .ip(PcapWriter.tcp("10.0.0.2", 1234, "10.0.0.1", 443, new byte[100]))
                .ip(PcapWriter.ip("10.0.0.2", "10.0.0.1", 1, new byte[8])) // ICMP
                .ip(PcapWriter.tcp("10.0.0.2", 1234, "10.0.0.1", 53, new byte[0])) // ACK only
                .ip(PcapWriter.tcp("10.0.0.2", 1234, "10.0.0.1", 53, Arrays.copyOf(prefixed, 10)))
                .ip(PcapWriter.udp("10.0.0.2", 1234, "10.0.0.1", 53, new byte[5])) // shorter than a header
                .frame(new byte[] {1, 2, 3}) // cut Ethernet frame
                .bytes());
        assertThat(seen).isEmpty();
        assertThat(counters.packets.sum()).isEqualTo(7);
        assertThat(counters.notDns.sum()).isEqualTo(3);
        assertThat(counters.tcpIncomplete.sum()).isEqualTo(1);
        assertThat(counters.malformed.sum()).isEqualTo(2);
        assertThat(counters.truncatedFiles.sum()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aFileCutAnywhereGivesThePacketsBeforeTheCut(Format format) throws IOException {
        byte[] full = sample(format, PcapWriter.ETHERNET);
        for (int cut = 0; cut < full.length; cut++) {
            seen.clear();
            PacketCounters c = new PacketCounters();
            new PcapReader(sink, c, 53).read(new ByteArrayInputStream(Arrays.copyOf(full, cut)));
            assertThat(seen).as("cut at %d", cut).isSubsetOf(SAMPLE);
            assertThat(SAMPLE.subList(0, seen.size())).isEqualTo(seen);
            // a cut between two records leaves a shorter valid file; anywhere else it is counted
            assertThat(c.truncatedFiles.sum()).as("cut at %d", cut).isBetween(0L, 1L);
            if (cut == full.length - 1) {
                assertThat(c.truncatedFiles.sum()).isEqualTo(1);
            }
        }
        // a cut gzip stream too
        byte[] z = PcapWriter.gzip(full);
        seen.clear();
        PacketCounters c = new PacketCounters();
        new PcapReader(sink, c, 53).read(new ByteArrayInputStream(Arrays.copyOf(z, z.length - 12)));
        assertThat(c.truncatedFiles.sum()).isEqualTo(1);
    }

    @Test
    void randomCorruptionNeverThrows() {
        Random random = new Random(8);
        List<byte[]> inputs = new ArrayList<>();
        for (Format f : Format.values()) {
            inputs.add(sample(f, PcapWriter.ETHERNET));
            inputs.add(sample(f, PcapWriter.SLL2));
        }
        for (int round = 0; round < 3000; round++) {
            byte[] b = inputs.get(random.nextInt(inputs.size())).clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            if (round % 10 == 0) {
                b = PcapWriter.gzip(b);
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            }
            byte[] input = b;
            assertThatCode(() -> new PcapReader(
                                    (buf, s, d, a, off, len) -> {
                                        assertThat(off + len).isLessThanOrEqualTo(buf.length);
                                    },
                                    new PacketCounters(),
                                    53)
                            .read(new ByteArrayInputStream(input)))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void notACaptureAtAllIsSaidSoAndNotCountedAsTruncated() throws IOException {
        PcapReader reader = new PcapReader(sink, counters, 53);
        byte[] text = "hello, this is not a capture\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(reader.read(new ByteArrayInputStream(text))).isEqualTo(PcapReader.Result.NOT_A_CAPTURE);
        assertThat(reader.read(new ByteArrayInputStream(PcapWriter.gzip(text))))
                .isEqualTo(PcapReader.Result.NOT_A_CAPTURE);
        assertThat(reader.read(new ByteArrayInputStream(new byte[0]))).isEqualTo(PcapReader.Result.EMPTY);
        assertThat(reader.read(new ByteArrayInputStream(sample(Format.PCAP_LE, PcapWriter.ETHERNET))))
                .isEqualTo(PcapReader.Result.READ);
        byte[] whole = sample(Format.PCAPNG_LE, PcapWriter.ETHERNET);
        assertThat(reader.read(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 3))))
                .isEqualTo(PcapReader.Result.TRUNCATED);
        assertThat(seen.subList(0, SAMPLE.size())).isEqualTo(SAMPLE);
        assertThat(counters.truncatedFiles.sum()).isEqualTo(1);
    }

    @Test
    void portsOtherThanTheDnsPortAreTallied() throws IOException {
        PcapWriter w = new PcapWriter(Format.PCAP_LE, PcapWriter.ETHERNET);
        for (int i = 0; i < 5; i++) {
            w.ip(PcapWriter.udp("10.0.0.2", 41000 + i, "10.0.0.1", 5353, Q));
            w.ip(PcapWriter.udp("10.0.0.1", 5353, "10.0.0.2", 41000 + i, PcapWriter.response(Q, 0, 1)));
        }
        w.ip(PcapWriter.tcp("10.0.0.2", 41000, "10.0.0.1", 443, new byte[10]));
        w.ip(PcapWriter.udp("10.0.0.1", 5353, "224.0.0.251", 5353, Q)); // mDNS: the same port on both sides
        w.ip(PcapWriter.udp("10.0.0.2", 40999, "10.0.0.1", 53, Q)); // on the DNS port: not tallied
        PcapReader reader = new PcapReader(sink, counters, 53);
        reader.read(new ByteArrayInputStream(w.bytes()));
        assertThat(reader.otherPorts().top(4)).containsExactly(5353, 41000, 41001, 41002);
        assertThat(reader.otherPorts().count(443)).isEqualTo(1);
        assertThat(reader.otherPorts().count(5353)).isEqualTo(11);
        assertThat(reader.otherPorts().count(41000)).isEqualTo(3);
        assertThat(reader.otherPorts().count(53)).isZero();
        reader.otherPorts().clear();
        assertThat(reader.otherPorts().top(3)).isEmpty();
    }
}
