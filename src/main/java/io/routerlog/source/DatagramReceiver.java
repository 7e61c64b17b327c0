package io.routerlog.source;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.routerlog.framing.DatagramFrames;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.syslog.FrameSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The UDP side of the syslog listener: one socket and one thread ({@code routerlog-udp-N}) per receive thread,
 * bound with SO_REUSEPORT so that the kernel spreads the datagrams over them.
 *
 * <p>Each thread reads with blocking receives straight into a direct buffer of its own and frames the datagram
 * from there. Nothing is allocated per datagram: the JDK keeps the sender's address object while the sender does
 * not change, and the frames are ranges of the one buffer. A receive thread that makes no garbage is seldom
 * stopped by the collector, and every pause it is spared is buffer the kernel does not need: with a small socket
 * buffer (the 208 KiB most systems allow without privileges), the pauses of the JVM are what loses datagrams.
 */
final class DatagramReceiver implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(DatagramReceiver.class);
    private static final ThreadFactory THREADS = new DefaultThreadFactory("routerlog-udp", true);

    private final List<Reader> readers;
    private final List<Thread> threads = new ArrayList<>();
    private final int port;

    private DatagramReceiver(List<Reader> readers, int port) {
        this.readers = readers;
        this.port = port;
    }

    /**
     * Opens and binds {@code sockets} UDP sockets to {@code address} and {@code port} (0: a free one, the same for
     * all), each with the receive buffer {@code receiveBuffer} as far as {@code buffers} can get it, and starts one
     * reading thread per socket. Each thread takes its frame sink from {@code sinks}, on that thread.
     */
    static DatagramReceiver start(
            InetAddress address,
            int port,
            int sockets,
            int receiveBuffer,
            int maxFrame,
            ReceiveBuffers buffers,
            SenderFilter filter,
            Supplier<FrameSink> sinks,
            PipelineCounters counters)
            throws IOException {
        List<Reader> readers = new ArrayList<>();
        int bound = port;
        try {
            for (int i = 0; i < sockets; i++) {
                DatagramChannel ch = DatagramChannel.open(
                        address.getAddress().length == 4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                try {
                    if (sockets > 1) {
                        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                    buffers.set(ch, receiveBuffer);
                    ch.bind(new InetSocketAddress(address, bound));
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                bound = ((InetSocketAddress) ch.getLocalAddress()).getPort(); // the rest take the one the first got
                readers.add(new Reader(ch, Math.min(65536, maxFrame + 2), maxFrame, filter, sinks, counters));
            }
        } catch (IOException | RuntimeException e) {
            for (Reader r : readers) {
                r.close();
            }
            throw e;
        }
        DatagramReceiver receiver = new DatagramReceiver(readers, bound);
        for (Reader r : readers) {
            Thread t = THREADS.newThread(r::run);
            receiver.threads.add(t);
            t.start();
        }
        return receiver;
    }

    int port() {
        return port;
    }

    /**
     * The receive buffer the kernel granted the first socket, in bytes: what SO_RCVBUF asked for, after the
     * kernel's cap (the JDK reports it without the kernel's bookkeeping share, which doubles it on Linux).
     */
    int receiveBuffer() {
        try {
            return readers.get(0).channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Returns once every reading thread has finished the datagram it was reading when this was called. */
    void awaitReaders() {
        for (Reader r : readers) {
            r.awaitIdle(TimeUnit.SECONDS.toNanos(5));
        }
    }

    /** Closes the sockets, which ends the blocking reads, and waits for the threads to finish. */
    @Override
    public void close() {
        for (Reader r : readers) {
            r.close();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sets a socket's receive buffer; the policy (how far past the kernel's cap) is the listener's. */
    interface ReceiveBuffers {
        void set(DatagramChannel channel, int bytes) throws IOException;
    }

    /** One socket and the loop of the thread that reads it. */
    static final class Reader {
        private final DatagramChannel channel;
        private final ByteBuffer buffer;
        private final ByteBuf view;
        private final int maxFrame;
        private final SenderFilter filter;
        private final Supplier<FrameSink> sinks;
        private final PipelineCounters counters;
        private @Nullable DatagramFrames frames;
        private @Nullable SocketAddress lastSender;
        private boolean lastAllowed;
        /**
         * Odd while a datagram is being handled, so {@link #awaitIdle} can wait for it to move on. Only this
         * reader's thread writes it.
         */
        private final AtomicLong busy = new AtomicLong();

        Reader(
                DatagramChannel channel,
                int datagramSize,
                int maxFrame,
                SenderFilter filter,
                Supplier<FrameSink> sinks,
                PipelineCounters counters) {
            this.channel = channel;
            this.buffer = ByteBuffer.allocateDirect(datagramSize);
            this.view = Unpooled.wrappedBuffer(buffer);
            this.maxFrame = maxFrame;
            this.filter = filter;
            this.sinks = sinks;
            this.counters = counters;
        }

        void run() {
            try {
                while (readOne()) {
                    // every datagram is handled by readOne
                }
            } catch (ClosedChannelException closed) {
                // closed by close(): the listener stops
            } catch (IOException | RuntimeException e) {
                LOG.error("The UDP receive thread stopped; datagrams are no longer read", e);
            } finally {
                view.release();
            }
        }

        /**
         * Reads one datagram (waiting for it) and hands its frames on. Returns false when the socket is closed or,
         * in non-blocking mode, had nothing to read.
         */
        boolean readOne() throws IOException {
            buffer.clear();
            SocketAddress sender = channel.receive(buffer);
            if (sender == null) {
                return channel.isOpen() && channel.isBlocking();
            }
            busy.lazySet(busy.get() + 1);
            try {
                if (allowed(sender)) {
                    view.setIndex(0, buffer.position());
                    frames().datagram(view, sender);
                }
            } finally {
                busy.lazySet(busy.get() + 1);
            }
            return true;
        }

        private boolean allowed(SocketAddress sender) {
            if (sender != lastSender) {
                lastSender = sender;
                lastAllowed = filter.allowsAll() || filter.acceptDatagram(sender);
                return lastAllowed;
            }
            return lastAllowed || filter.acceptDatagram(sender);
        }

        private DatagramFrames frames() {
            DatagramFrames f = frames;
            if (f == null) {
                f = new DatagramFrames(maxFrame, sinks.get(), counters);
                frames = f;
            }
            return f;
        }

        void awaitIdle(long timeoutNanos) {
            long seen = busy.get();
            if ((seen & 1) == 0) {
                return;
            }
            long deadline = System.nanoTime() + timeoutNanos;
            while (busy.get() == seen && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing a UDP socket: {}", e.toString());
            }
        }
    }
}
