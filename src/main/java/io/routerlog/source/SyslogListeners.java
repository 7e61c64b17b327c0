package io.routerlog.source;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.routerlog.config.BindFailures;
import io.routerlog.framing.BufferBudget;
import io.routerlog.framing.SyslogFrameDecoder;
import io.routerlog.stats.PipelineCounters;
import io.routerlog.stats.Transport;
import io.routerlog.syslog.FrameSink;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The syslog listeners: UDP and TCP on the same port, and TLS on its own. TCP and TLS run on Netty event loops
 * ({@code routerlog-io-N}, the native epoll transport on Linux, NIO elsewhere); UDP has one socket per receive
 * thread with SO_REUSEPORT, so the kernel spreads datagrams over the threads, each read on a thread of its own
 * ({@code routerlog-udp-N}, see {@link DatagramReceiver}).
 *
 * <p>Each receive thread gets its own {@link FrameSink} from {@code sinks}, called on that thread, so everything
 * after framing runs without sharing.
 */
public final class SyslogListeners implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(SyslogListeners.class);
    /** Without a frame timeout, a connection that completed no frame for this long may make room for a new one. */
    private static final Duration DEFAULT_EVICTABLE_AFTER = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final ConnectionTracker connections;
    private final SenderFilter filter;
    private final BufferBudget budget;
    private final boolean epoll;
    private int port;
    private int tlsPort;
    private int udpReceiveBuffer;
    private volatile @Nullable DatagramReceiver udp;

    private SyslogListeners(ListenerSettings s, PipelineCounters counters) {
        this.filter = new SenderFilter(s.allowFrom(), counters);
        this.budget = new BufferBudget(s.maxBuffered(), counters);
        this.connections = new ConnectionTracker(
                counters,
                filter,
                s.maxConnections(),
                s.maxConnectionsPerSender(),
                s.frameTimeout().isZero() ? DEFAULT_EVICTABLE_AFTER : s.frameTimeout());
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(s.ioThreads(), new DefaultThreadFactory("routerlog-io", true), io);
    }

    /**
     * Binds TCP, then UDP on the same port number (those of the two asked for), and TLS on its own, and returns
     * once all listen.
     *
     * @param tls the context of the TLS listener, built from its files before anything started; null without
     *     {@code --syslog-tls-port}
     *
     * @throws BindException when the port is taken
     * @throws io.routerlog.config.SettingException when the address is not on this host or the port needs
     *                                             CAP_NET_BIND_SERVICE
     */
    public static SyslogListeners start(
            ListenerSettings settings, @Nullable SslContext tls, Supplier<FrameSink> sinks, PipelineCounters counters)
            throws BindException, InterruptedException {
        if (settings.tlsPort().isPresent() != (tls != null)) {
            throw new IllegalArgumentException("a TLS context goes with --syslog-tls-port, and only with it");
        }
        SyslogListeners l = new SyslogListeners(settings, counters);
        try {
            l.bind(settings, tls, sinks, counters);
            return l;
        } catch (BindException | InterruptedException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** @param tls the TLS listener's context, null without one */
    private void bind(
            ListenerSettings s, @Nullable SslContext tls, Supplier<FrameSink> sinks, PipelineCounters counters)
            throws BindException, InterruptedException {
        int attempts = s.port() == 0 ? 10 : 1;
        if (s.tcp() && s.udp()) {
            for (int attempt = 1; ; attempt++) {
                Channel tcp = bindTcp(s, sinks, counters, s.port());
                int bound = ((InetSocketAddress) tcp.localAddress()).getPort();
                try {
                    bindUdp(s, sinks, counters, bound);
                    channels.add(tcp);
                    port = bound;
                    break;
                } catch (BindException e) {
                    tcp.close().sync();
                    if (attempt >= attempts) {
                        throw e;
                    }
                }
            }
        } else if (s.tcp()) {
            Channel tcp = bindTcp(s, sinks, counters, s.port());
            channels.add(tcp);
            port = ((InetSocketAddress) tcp.localAddress()).getPort();
        } else if (s.udp()) {
            port = bindUdp(s, sinks, counters, s.port());
        }
        if (tls != null) {
            Channel channel = bindStream(s, sinks, counters, s.tlsPort().getAsInt(), tls);
            channels.add(channel);
            tlsPort = ((InetSocketAddress) channel.localAddress()).getPort();
            LOG.info("Listening for syslog over TLS on {} port {}", s.address().getHostAddress(), tlsPort);
        }
        if (s.udp() || s.tcp()) {
            LOG.info(
                    "Listening for syslog on {} port {} ({}, {} transport, {} receive threads)",
                    s.address().getHostAddress(),
                    port,
                    s.udp() && s.tcp() ? "udp and tcp" : s.udp() ? "udp only" : "tcp only",
                    epoll ? "epoll" : "nio",
                    s.ioThreads());
        }
    }

    private Channel bindTcp(ListenerSettings s, Supplier<FrameSink> sinks, PipelineCounters counters, int port)
            throws BindException, InterruptedException {
        return bindStream(s, sinks, counters, port, null);
    }

    /** A TCP listener; with {@code tls}, every connection starts with a TLS handshake (RFC 5425). */
    private Channel bindStream(
            ListenerSettings s,
            Supplier<FrameSink> sinks,
            PipelineCounters counters,
            int port,
            @Nullable SslContext tls)
            throws BindException, InterruptedException {
        Transport transport = tls == null ? Transport.TCP : Transport.TLS;
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // before a connection is registered: refuse (with a reset) what is not allowed or over the limits
                .handler(connections.admission)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!s.idleTimeout().isZero()) {
                            ch.pipeline()
                                    .addLast(
                                            "idle",
                                            new IdleStateHandler(
                                                    s.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        }
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("connections", connections);
                        SyslogFrameDecoder framing = new SyslogFrameDecoder(
                                        s.maxFrame(), sinks.get(), counters, transport, s.frameTimeout())
                                .withBudget(budget);
                        ch.pipeline().addLast("framing", framing);
                        connections.watch(ch, framing);
                        ch.pipeline().addLast("errors", connections.errors);
                    }
                });
        return bindOrExplain(() -> b.bind(s.address(), port).sync().channel(), transport.label(), s, port);
    }

    /** Binds the UDP socket(s) to {@code port} (0: a free one, the same for all) and returns the port. */
    private int bindUdp(ListenerSettings s, Supplier<FrameSink> sinks, PipelineCounters counters, int port)
            throws BindException {
        try {
            DatagramReceiver receiver = DatagramReceiver.start(
                    s.address(),
                    port,
                    s.ioThreads(),
                    s.udpReceiveBuffer(),
                    s.maxFrame(),
                    this::setReceiveBuffer,
                    filter,
                    sinks,
                    counters);
            udp = receiver;
            udpReceiveBuffer = receiver.receiveBuffer();
            if (udpReceiveBuffer < s.udpReceiveBuffer()) {
                LOG.warn(
                        "The UDP receive buffer is {} bytes, less than the {} asked for (--udp-receive-buffer): the "
                                + "kernel caps it at net.core.rmem_max. Bursts of datagrams may be lost; raise the cap "
                                + "with 'sysctl -w net.core.rmem_max={}' or give routerlog CAP_NET_ADMIN.",
                        udpReceiveBuffer,
                        s.udpReceiveBuffer(),
                        s.udpReceiveBuffer());
            }
            return receiver.port();
        } catch (IOException e) {
            throw BindFailures.explain(
                    "listen on udp", "--listen-address", "--syslog-port", new InetSocketAddress(s.address(), port), e);
        }
    }

    private static final int SOL_SOCKET = 1;
    /** Sets the receive buffer beyond net.core.rmem_max; needs CAP_NET_ADMIN. */
    private static final int SO_RCVBUFFORCE = 33;

    /**
     * Asks for a UDP socket's receive buffer. The kernel silently caps SO_RCVBUF at net.core.rmem_max; with
     * CAP_NET_ADMIN (root, or the capability given to the service) SO_RCVBUFFORCE goes beyond it, which needs the
     * socket's descriptor and the native transport.
     */
    private void setReceiveBuffer(DatagramChannel ch, int wanted) throws IOException {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, wanted);
        if (ch.getOption(StandardSocketOptions.SO_RCVBUF) >= wanted || !epoll) {
            return;
        }
        OptionalInt fd = descriptor(ch);
        if (fd.isEmpty()) {
            return;
        }
        try {
            new Socket(fd.getAsInt()).setIntOpt(SOL_SOCKET, SO_RCVBUFFORCE, wanted);
        } catch (IOException e) {
            LOG.debug("SO_RCVBUFFORCE not allowed: {}", e.toString());
        }
    }

    /** The descriptor of a JDK channel; the JDK opens it to routerlog's jar (Add-Opens in its manifest). */
    private static OptionalInt descriptor(DatagramChannel ch) {
        try {
            Method m = ch.getClass().getMethod("getFDVal");
            m.setAccessible(true);
            return OptionalInt.of((int) m.invoke(ch));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("No descriptor for SO_RCVBUFFORCE: {}", e.toString());
            return OptionalInt.empty();
        }
    }

    /** The UDP receive buffer the kernel granted, in bytes (what SO_RCVBUF asked for, after the kernel's cap). */
    public int udpReceiveBuffer() {
        return udpReceiveBuffer;
    }

    private interface Binder {
        Channel bind() throws InterruptedException;
    }

    /**
     * Binds, or explains why not: an address that is not on this host or a port that needs a privilege routerlog
     * lacks is a {@link io.routerlog.config.SettingException} naming the option; anything else (a port in use) a
     * BindException.
     */
    private static Channel bindOrExplain(Binder binder, String protocol, ListenerSettings s, int port)
            throws BindException, InterruptedException {
        try {
            return binder.bind();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw BindFailures.explain(
                    "listen on " + protocol,
                    "--listen-address",
                    protocol.equals("tls") ? "--syslog-tls-port" : "--syslog-port",
                    new InetSocketAddress(s.address(), port),
                    e);
        }
    }

    /**
     * Returns once every receive thread has finished what it was reading when this was called: a task queued on
     * each event loop runs only between reads.
     */
    public void awaitReceiveThreads() {
        List<Future<?>> done = new ArrayList<>();
        for (EventExecutor loop : group) {
            if (!loop.inEventLoop() && !loop.isShuttingDown()) {
                done.add(loop.submit(() -> {}));
            }
        }
        for (Future<?> f : done) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        DatagramReceiver u = udp;
        if (u != null) {
            u.awaitReaders();
        }
    }

    /** The port of the UDP and TCP listeners (those opened), 0 with neither. */
    public int port() {
        return port;
    }

    /** The port of the TLS listener, 0 without one. */
    public int tlsPort() {
        return tlsPort;
    }

    public ConnectionTracker connections() {
        return connections;
    }

    /**
     * Stops listening and closes every connection at once. Returns once the receive threads have finished what
     * they read, so that everything received is in the aggregators.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops listening (no new connections, no more datagrams), then keeps reading the open TCP connections until
     * their senders have been quiet for a second or {@code grace} has passed, then closes them. A sender that
     * finishes its stream within the grace loses nothing.
     */
    public void close(Duration grace) {
        DatagramReceiver u = udp;
        if (u != null) {
            u.close();
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        long quiet = Math.min(TimeUnit.SECONDS.toNanos(1), grace.toNanos());
        while (connections.open() > 0 && System.nanoTime() < deadline && !connections.allQuietFor(quiet)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (connections.open() > 0) {
            LOG.info("Closing {} syslog connection(s)", connections.open());
        }
        connections.closeAll();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
