package io.routerlog.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sends dnsmasq query lines in logd format over one TCP connection at a fixed rate, on its own thread, and keeps
 * the time each line was written, so a test can say how many were sent before or after a moment.
 */
@SuppressWarnings("try") // close() waits for the sending thread; an interrupt then is the test's failure
final class LoadSender implements AutoCloseable {
    private final int port;
    private final int perSecond;
    private final int pairs;
    private final String clientNet;
    private final long[] sentAt;
    private final Thread thread;
    private volatile boolean stop;
    private volatile int sent;
    private volatile IOException failure;

    /**
     * @param clientNet first two octets of the client addresses ("10.1"), so several senders count distinct pairs
     * @param maxLines  at most this many lines, then it stops by itself
     */
    LoadSender(int port, int perSecond, int pairs, String clientNet, int maxLines) {
        this.port = port;
        this.perSecond = perSecond;
        this.pairs = pairs;
        this.clientNet = clientNet;
        this.sentAt = new long[maxLines];
        this.thread = new Thread(this::run, "load-" + port);
        thread.start();
    }

    static String line(String clientNet, int i, int pairs) {
        int p = i % pairs;
        return "<30>Nov 22 01:59:47 OpenWrt dnsmasq[1]: query[A] site" + p + ".load.test from " + clientNet + "."
                + (p % 7) + "." + (p % 250) + "\n";
    }

    private void run() {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            long nanosPerLine = TimeUnit.SECONDS.toNanos(1) / perSecond;
            int i = 0;
            while (!stop && i < sentAt.length) {
                long due = start + i * nanosPerLine;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, 2_000_000));
                    continue;
                }
                out.write(line(clientNet, i, pairs).getBytes(StandardCharsets.US_ASCII));
                sentAt[i] = System.nanoTime();
                i++;
                sent = i;
            }
            out.flush();
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lines written so far. */
    int sent() {
        return sent;
    }

    /** Lines written at or after {@code nanoTime}. */
    int sentSince(long nanoTime) {
        int n = sent;
        int count = 0;
        for (int i = n - 1; i >= 0 && sentAt[i] >= nanoTime; i--) {
            count++;
        }
        return count;
    }

    /** The write error that stopped it, if one did. */
    IOException failure() {
        return failure;
    }

    /** Waits until it has sent everything (or failed). */
    void await() throws InterruptedException {
        thread.join(TimeUnit.MINUTES.toMillis(2));
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
