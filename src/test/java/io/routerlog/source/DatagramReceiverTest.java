package io.routerlog.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.routerlog.stats.DropReason;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.syslog.FrameSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class DatagramReceiverTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final PipelineCounters counters = new PipelineCounters();

    private DatagramReceiver start(int sockets, String allowFrom, java.util.function.Supplier<FrameSink> sinks)
            throws IOException {
        return DatagramReceiver.start(
                LOOPBACK,
                0,
                sockets,
                1 << 20,
                1024,
                (ch, bytes) -> ch.setOption(StandardSocketOptions.SO_RCVBUF, bytes),
                new SenderFilter(AddressRanges.parse(List.of(allowFrom)), counters),
                sinks,
                counters);
    }

    @Test
    void everyDatagramIsFramedWithItsSender() throws Exception {
        Queue<String> frames = new ConcurrentLinkedQueue<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (DatagramReceiver receiver = start(2, "any", () -> new FrameSink() {
                    private String from = "";

                    @Override
                    public void frame(ByteBuf buf, int index, int length) {
                        threads.add(Thread.currentThread().getName());
                        frames.add(from + " " + buf.toString(index, length, StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void sender(SocketAddress sender) {
                        from = ((InetSocketAddress) sender).getAddress().getHostAddress();
                    }
                });
                DatagramChannel a = sender(receiver, "127.0.0.2");
                DatagramChannel b = sender(receiver, "127.0.0.3")) {
            for (int i = 0; i < 100; i++) {
                send(a, "<30>a" + i + "\n");
                send(b, "<30>b" + i + "\0<30>c" + i);
            }
            await(() -> frames.size() == 300);
            receiver.awaitReaders();
            assertThat(frames).contains("127.0.0.2 <30>a0", "127.0.0.3 <30>b99", "127.0.0.3 <30>c99");
            assertThat(frames.stream().filter(f -> f.startsWith("127.0.0.2 <30>a")))
                    .hasSize(100);
            assertThat(frames.stream().filter(f -> f.startsWith("127.0.0.3 <30>")))
                    .hasSize(200);
            assertThat(threads).allMatch(t -> t.startsWith("routerlog-udp-"));
            assertThat(counters.messageCount(Transport.UDP)).isEqualTo(300);
        }
    }

    @Test
    void datagramsFromSendersNotAllowedAreCountedAndNotFramed() throws Exception {
        AtomicLong framed = new AtomicLong();
        try (DatagramReceiver receiver =
                        start(1, "127.0.0.2/32", () -> (buf, index, length) -> framed.incrementAndGet());
                DatagramChannel allowed = sender(receiver, "127.0.0.2");
                DatagramChannel refused = sender(receiver, "127.0.0.3")) {
            for (int i = 0; i < 10; i++) {
                send(refused, "<30>no");
                send(allowed, "<30>yes");
            }
            await(() -> counters.messageCount(Transport.UDP) == 20);
            receiver.awaitReaders();
            assertThat(framed).hasValue(10);
            assertThat(counters.dropCount(DropReason.NOT_ALLOWED)).isEqualTo(10);
        }
    }

    @Test
    void theReceiveThreadAllocatesNothingPerDatagram() throws Exception {
        AtomicLong framed = new AtomicLong();
        AtomicLong thread = new AtomicLong(-1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (DatagramReceiver receiver = start(1, "any", () -> {
                    thread.set(Thread.currentThread().getId());
                    return (buf, index, length) -> framed.addAndGet(buf.getByte(index + length - 1));
                });
                DatagramChannel out = sender(receiver, "127.0.0.2")) {
            ByteBuffer datagram = ByteBuffer.allocateDirect(64);
            datagram.put("<30>Dec  2 20:00:00 OpenWrt dnsmasq[1]: x".getBytes(StandardCharsets.US_ASCII));
            // warm-up: the loop compiled, the JDK's sender address cached
            sendAll(out, datagram, 20_000, framed);
            receiver.awaitReaders();
            long before = threads.getThreadAllocatedBytes(thread.get());
            sendAll(out, datagram, 50_000, framed);
            receiver.awaitReaders();
            long allocated = threads.getThreadAllocatedBytes(thread.get()) - before;
            assertThat(allocated)
                    .as("bytes allocated by the receive thread for 50,000 datagrams")
                    .isLessThan(5_000);
        }
    }

    @Test
    void closingEndsTheReceiveThreads() throws Exception {
        Set<Thread> before = receiveThreads();
        DatagramReceiver receiver = start(2, "any", () -> (buf, index, length) -> {});
        Set<Thread> started = receiveThreads();
        started.removeAll(before);
        assertThat(started).hasSize(2);
        receiver.close();
        assertThat(started).noneMatch(Thread::isAlive);
    }

    private static Set<Thread> receiveThreads() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("routerlog-udp-")) {
                threads.add(t);
            }
        }
        return threads;
    }

    /** Sends {@code n} copies of {@code datagram} in steps the socket buffer holds, each step received in full. */
    private static void sendAll(DatagramChannel out, ByteBuffer datagram, int n, AtomicLong framed) throws IOException {
        long last = datagram.get(datagram.position() - 1);
        for (int sent = 0; sent < n; sent += 100) {
            long target = framed.get() + 100 * last;
            for (int i = 0; i < 100; i++) {
                datagram.flip();
                out.write(datagram);
                datagram.limit(datagram.capacity());
            }
            await(() -> framed.get() == target);
        }
    }

    private static DatagramChannel sender(DatagramReceiver receiver, String from) throws IOException {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress(from, 0));
        ch.connect(new InetSocketAddress(LOOPBACK, receiver.port()));
        return ch;
    }

    private static void send(DatagramChannel ch, String text) throws IOException {
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
