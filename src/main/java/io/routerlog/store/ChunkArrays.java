package io.routerlog.store;

import java.util.ArrayDeque;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Arrays of query log chunks that left the log, for the chunks that start: a steady log reuses the arrays of the
 * chunks it removes instead of making a new one for every {@link QueryLog#CHUNK} entries. A chunk lives for seconds
 * at a high rate, long enough for young collections to copy it and move it to the old generation, where it then
 * dies and fills the old generation until a full collection stops everything; reused, the arrays stay put.
 *
 * <p>An array comes back only from a chunk that is {@linkplain QueryLogChunk#retire() retired} (removed from the
 * log), never from one still in it; a search that was reading the retired chunk finds out and drops what it read
 * (see {@link QueryLogChunk}). Shared by the members of one JVM, and bounded: at most {@value #MAX_BYTES} bytes in
 * arrays of at most {@value #LARGEST} bytes. The writer retires the chunks an append will push out before it
 * appends ({@link QueryLog}), so the arrays go round within one flush and are rarely kept for long.
 */
final class ChunkArrays {
    /**
     * Bytes kept at most: the chunks a busy log turns over in one flush. At 300,000 datagrams/s a flush about once a
     * second retires some 115 chunks of about 58 KiB; with 4 MiB the rest were new arrays, copied into the old
     * generation and collected there in full (a 69 ms stop, 21,814 datagrams lost in 20 s). A member's backup
     * chunks start in arrays from here too ({@link AppendToChunk}), so its backups take back the arrays they give.
     */
    static final long MAX_BYTES = 16L << 20;

    /** Larger arrays are not kept. */
    static final int LARGEST = 1 << 20;

    private static final ArrayDeque<byte[]> FREE = new ArrayDeque<>();
    private static long keptBytes;

    private ChunkArrays() {}

    /**
     * An array of at least {@code needed} bytes: a kept one if one is large enough, else a new one of {@code
     * wanted} bytes (at least {@code needed}) and an eighth more, so that it also fits the next chunks, whose
     * entries are a little longer now and then. A kept array too small for {@code needed} is let go.
     */
    static byte[] take(int needed, int wanted) {
        byte[] b = poll();
        if (b != null && b.length >= needed) {
            return b;
        }
        int size = Math.max(needed, wanted);
        return new byte[(int) Math.min(Integer.MAX_VALUE - 8, size + (long) size / 8)];
    }

    private static synchronized byte @Nullable [] poll() {
        byte[] b = FREE.pollLast();
        if (b != null) {
            keptBytes -= b.length;
        }
        return b;
    }

    /**
     * Keeps {@code b} for a later chunk, if there is room; its owner must not read or write it any more. A kept
     * array is zeroed first: the queries it held leave memory with the chunk, as they would have with the array.
     */
    static synchronized void release(byte[] b) {
        if (b.length > 0 && b.length <= LARGEST && keptBytes + b.length <= MAX_BYTES) {
            Arrays.fill(b, (byte) 0);
            FREE.addLast(b);
            keptBytes += b.length;
        }
    }

    /** Arrays kept now (for tests). */
    static synchronized int kept() {
        return FREE.size();
    }

    /** Lets go of every kept array (for tests). */
    static synchronized void clear() {
        FREE.clear();
        keptBytes = 0;
    }
}
