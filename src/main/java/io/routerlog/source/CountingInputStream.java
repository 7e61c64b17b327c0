package io.routerlog.source;

import io.routerlog.stats.PacketCounters;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read from a capture as they are read ({@link PacketCounters#bytes}), before any decompression,
 * so the count is what was taken from the file or from tcpdump.
 */
final class CountingInputStream extends FilterInputStream {
    private final PacketCounters counters;

    CountingInputStream(InputStream in, PacketCounters counters) {
        super(in);
        this.counters = counters;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counters.bytes.increment();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counters.bytes.add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = super.skip(n);
        if (s > 0) {
            counters.bytes.add(s);
        }
        return s;
    }
}
