package io.routerlog.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How often each UDP/TCP port was seen, for a hint when a capture holds no DNS: one counter per port, allocated on
 * the first port counted (256 KiB), used by the one thread that reads the capture.
 */
public final class PortTally {
    /** Null until the first port is counted. */
    private long @Nullable [] counts;

    /** Counts the two ports of one packet (once when they are the same). */
    void add(int sourcePort, int destinationPort) {
        if (counts == null) {
            counts = new long[65536];
        }
        counts[sourcePort]++;
        if (destinationPort != sourcePort) {
            counts[destinationPort]++;
        }
    }

    /** Packets seen on {@code port}. */
    public long count(int port) {
        return counts == null ? 0 : counts[port];
    }

    /** The {@code n} ports seen most, most first (fewer when fewer were seen). */
    public List<Integer> top(int n) {
        List<Integer> ports = new ArrayList<>();
        long[] counts = this.counts;
        if (counts == null) {
            return ports;
        }
        for (int p = 0; p < counts.length; p++) {
            if (counts[p] > 0) {
                ports.add(p);
            }
        }
        ports.sort(Comparator.comparingLong((Integer p) -> counts[p]).reversed().thenComparing(p -> p));
        return ports.size() > n ? new ArrayList<>(ports.subList(0, n)) : ports;
    }

    /** Forgets everything counted (before the next file). */
    public void clear() {
        if (counts != null) {
            Arrays.fill(counts, 0);
        }
    }
}
