package io.routerlog.store;

import io.routerlog.bytes.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * Reads the pairs of the {@link PairShard}s an aggregation is handed: as stored keys with their fields read, and, for
 * the pairs a reader wants as text, as {@link PairKey}s. The labels repeat from pair to pair (a router, a client, a
 * query type), so the strings of the labels decoded last are kept and reused.
 */
final class ShardScan {
    /** Labels seen last, by hash: a direct-mapped cache, so a label that repeats is one compare, a new one a miss. */
    private static final int CACHE = 1 << 13;

    private final @Nullable String[] cached = new String[CACHE];
    private final PairBytes.Fields fields = new PairBytes.Fields();

    /** A pair's stored key, its fields read, and its total. */
    interface KeySink {
        /** The key is {@code b} from {@code off} ({@code fields} tells where each field is), valid during the call. */
        void pair(byte[] b, int off, PairBytes.Fields fields, long total);
    }

    /** Calls {@code sink} with the stored key of every live pair of the shard (skips keys of an unknown form). */
    void scanKeys(@Nullable PairShard shard, KeySink sink) {
        if (shard == null) {
            return;
        }
        int now = (int) (System.currentTimeMillis() / 1000);
        PairBytes.Fields f = fields;
        shard.forEach(now, (keys, off, len, total) -> {
            if (f.read(keys, off, len)) {
                sink.pair(keys, off, f, total);
            }
        });
    }

    /** A {@link PairKey} from its key ({@link PairBytes}), null if not one. */
    @Nullable
    PairKey decode(byte[] b, int off, int len) {
        PairBytes.Fields f = fields;
        return f.read(b, off, len) ? key(b, f) : null;
    }

    /** The {@link PairKey} of a key whose fields {@code f} has read. */
    PairKey key(byte[] b, PairBytes.Fields f) {
        return new PairKey(
                label(b, f.routerOffset(), f.routerLength()),
                label(b, f.clientOffset(), f.clientLength()),
                label(b, f.domainOffset(), f.domainLength()),
                label(b, f.qtypeOffset(), f.qtypeLength()));
    }

    private String label(byte[] b, int off, int len) {
        int slot = Bytes.mix(Bytes.hash(Bytes.HASH_SEED, b, off, len)) & (CACHE - 1);
        String s = cached[slot];
        if (s != null && sameAscii(b, off, len, s)) {
            return s;
        }
        s = Bytes.decode(b, off, len);
        cached[slot] = s;
        return s;
    }

    /**
     * Whether the string is the bytes, all ASCII. A string decoded from other UTF-8 has fewer characters than bytes
     * or a character beyond ASCII, so it never compares equal here: such labels are decoded at each use.
     */
    private static boolean sameAscii(byte[] b, int off, int len, String s) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || b[off + i] != (byte) c) {
                return false;
            }
        }
        return true;
    }
}
