package io.routerlog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP clients that do not play along, as an attacker on the LAN would run them against the HTTP port: readers
 * that ask for a large response and never read it, and clients that send a request's headers one byte every few
 * seconds. Every socket is closed by {@link #close()}; nothing outlives the test.
 */
public final class SlowClients implements AutoCloseable {
    private final int port;
    private final SSLContext tls;
    private final List<Socket> sockets = new ArrayList<>();
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slow-header-drip");
        t.setDaemon(true);
        return t;
    });

    /** @param tls connect over TLS with this context, or plain TCP when null */
    public SlowClients(int port, SSLContext tls) {
        this.port = port;
        this.tls = tls;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // the kernel's window fills at once; the server's writes stall
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (tls != null) {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", port, true);
            ssl.setSoTimeout(5000); // a server that cannot even finish a handshake fails the test, not hangs it
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            s = ssl;
        }
        synchronized (sockets) {
            sockets.add(s);
        }
        return s;
    }

    /** {@code n} clients that send {@code GET path} and never read the response. */
    public SlowClients readers(int n, String path) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = connect();
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: routerlog\r\nAccept-Encoding: identity\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        return this;
    }

    /**
     * {@code n} clients that send a request line and then one more byte of a header every {@code everyMillis},
     * never finishing the headers.
     */
    public SlowClients headerDrips(int n, long everyMillis) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = connect();
            s.getOutputStream()
                    .write("GET /healthz HTTP/1.1\r\nHost: routerlog\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            var unused = drip.scheduleWithFixedDelay(
                    () -> { // runs until the exception below ends it
                        try {
                            s.getOutputStream().write('a');
                            s.getOutputStream().flush();
                        } catch (IOException closed) {
                            throw new IllegalStateException("closed"); // ends this drip
                        }
                    },
                    everyMillis,
                    everyMillis,
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** How many of the sockets the server has closed (read gives end of stream or an error), without blocking. */
    public int closedByServer() {
        int closed = 0;
        List<Socket> all;
        synchronized (sockets) {
            all = new ArrayList<>(sockets);
        }
        for (Socket s : all) {
            if (isClosedByServer(s)) {
                closed++;
            }
        }
        return closed;
    }

    /** True when the server closed {@code s}: reading what it sent ends in end of stream or a reset. */
    private static boolean isClosedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            InputStream in = s.getInputStream();
            byte[] sink = new byte[64 * 1024];
            for (int i = 0; i < 10_000; i++) { // drain what was sent (a readers's response) up to the end
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        drip.shutdownNow();
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            sockets.clear();
        }
    }
}
