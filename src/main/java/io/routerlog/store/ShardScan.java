package io.routerlog.store;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the pairs of the {@link PairShard}s an aggregation is handed as {@link PairKey}s with their totals. The
 * labels repeat from pair to pair (a router, a client, a query type), so their strings are made once per scan and
 * reused; a domain is made once per distinct domain.
 */
final class ShardScan {
    /** A pair and its total. */
    interface PairSink {
        void pair(PairKey key, long total);
    }

    private final Map<Label, String> labels = new HashMap<>();
    private final Label probe = new Label();

    /** Calls {@code sink} with every live pair of the shard (skips keys in a form it does not know). */
    void scan(@Nullable PairShard shard, PairSink sink) {
        if (shard == null) {
            return;
        }
        int now = (int) (System.currentTimeMillis() / 1000);
        shard.forEach(now, (keys, off, len, total) -> {
            PairKey k = decode(keys, off, len);
            if (k != null) {
                sink.pair(k, total);
            }
        });
    }

    /** A {@link PairKey} from its serialized form (see {@link PackedCounters#addSerialized}), null if not one. */
    @Nullable
    PairKey decode(byte[] b, int off, int len) {
        if (len < PackedCounters.KEY_LABELS
                || readInt(b, off + 4) != PackedCounters.DATA_SERIALIZABLE
                || b[off + 8] != PackedCounters.IDENTIFIED
                || readInt(b, off + 9) != StoreSerialization.FACTORY_ID
                || readInt(b, off + 13) != StoreSerialization.PAIR_KEY) {
            return null;
        }
        String[] parts = new String[4];
        int p = off + PackedCounters.KEY_LABELS;
        int end = off + len;
        for (int i = 0; i < 4; i++) {
            if (p + 4 > end) {
                return null;
            }
            int n = readInt(b, p);
            p += 4;
            if (n < 0 || n > end - p) {
                return null;
            }
            parts[i] = label(b, p, n);
            p += n;
        }
        return p == end ? new PairKey(parts[0], parts[1], parts[2], parts[3]) : null;
    }

    private String label(byte[] b, int off, int len) {
        probe.set(b, off, len);
        String s = labels.get(probe);
        if (s == null) {
            s = new String(b, off, len, StandardCharsets.UTF_8);
            labels.put(new Label().copyOf(b, off, len), s);
        }
        return s;
    }

    private static int readInt(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    /** A label's bytes as a map key: a probe over a range, or an own copy. */
    private static final class Label {
        private byte[] bytes = new byte[0];
        private int off;
        private int len;
        private int hash;

        void set(byte[] b, int o, int n) {
            bytes = b;
            off = o;
            len = n;
            hash = PairShard.hash(b, o, n);
        }

        Label copyOf(byte[] b, int o, int n) {
            set(java.util.Arrays.copyOfRange(b, o, o + n), 0, n);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Label l
                    && java.util.Arrays.equals(bytes, off, off + len, l.bytes, l.off, l.off + l.len);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
