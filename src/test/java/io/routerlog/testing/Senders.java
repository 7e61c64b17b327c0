package io.routerlog.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Raw syslog senders over loopback sockets. */
public final class Senders {
    private Senders() {}

    /** Writes {@code chunks} one after the other on one TCP connection, flushing (and pausing) between them. */
    public static void tcp(int port, List<byte[]> chunks, long pauseMillis) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            OutputStream out = s.getOutputStream();
            for (byte[] c : chunks) {
                out.write(c);
                out.flush();
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        }
    }

    public static void tcp(int port, String text) throws IOException, InterruptedException {
        tcp(port, List.of(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** One datagram per message. */
    public static void udp(int port, List<String> datagrams) throws IOException, InterruptedException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (String d : datagrams) {
                byte[] b = d.getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(1);
            }
        }
    }

    /** RFC 6587 octet-counting frame. */
    public static String octet(String msg) {
        return msg.getBytes(StandardCharsets.UTF_8).length + " " + msg;
    }
}
