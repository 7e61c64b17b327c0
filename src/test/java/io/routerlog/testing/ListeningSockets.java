package io.routerlog.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The local addresses this host listens on for a port, from Linux's /proc/net/{tcp,tcp6,udp,udp6}: TCP sockets in
 * LISTEN state, and bound UDP sockets.
 */
public final class ListeningSockets {
    private static final String TCP_LISTEN = "0A";

    private ListeningSockets() {}

    /** True when the tables can be read (Linux). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isReadable(Path.of("/proc/net/udp"));
    }

    /** Addresses of TCP sockets listening on {@code port}. */
    public static List<InetAddress> tcp(int port) throws IOException {
        return read(List.of("/proc/net/tcp", "/proc/net/tcp6"), port, true);
    }

    /** Addresses of UDP sockets bound to {@code port}. */
    public static List<InetAddress> udp(int port) throws IOException {
        return read(List.of("/proc/net/udp", "/proc/net/udp6"), port, false);
    }

    private static List<InetAddress> read(List<String> tables, int port, boolean listenOnly) throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (String table : tables) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p); // read once: the table changes as sockets come and go
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) != port || (listenOnly && !f[3].equals(TCP_LISTEN))) {
                    continue;
                }
                found.add(address(local[0]));
            }
        }
        return found;
    }

    /** The kernel writes each 32-bit word of the address in host (little-endian) order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] b = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                b[word + i] = raw[word + 3 - i];
            }
        }
        return InetAddress.getByAddress(b);
    }
}
