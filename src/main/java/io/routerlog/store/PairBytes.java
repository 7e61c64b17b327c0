package io.routerlog.store;

import io.routerlog.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The stored form of a pair's key, and the one home of its rules: a receive thread builds it from the bytes it
 * parsed, the flush hands it on, the {@link PairShard} keeps it, and reads decode it. No key object is made on the
 * way.
 *
 * <p>Layout: the router, the client and the domain, each as its length (unsigned LEB128) and its bytes, then the
 * query type's bytes to the end. Text is UTF-8 (as received; {@link Bytes#decode} reads it back).
 *
 * <p>A pair's shard is worked out from the hash of its router, client and domain ({@link #shardHash},
 * {@link #partition}), the same on every member.
 */
public final class PairBytes {
    private PairBytes() {}

    /** The hash of a key, as tables and shards use it. */
    public static int hash(byte[] b, int off, int len) {
        return Bytes.hash(Bytes.HASH_SEED, b, off, len);
    }

    /**
     * The hash that places a pair in its shard: of its router, client and domain, not of its query type. So every pair
     * of one client and one domain is in the same shard, and the distinct counts of {@link PairTable}, made shard by
     * shard, add up over shards and members. Bytes that are not a key are hashed whole.
     *
     * @param scratch fields to read the key with (reused from key to key)
     */
    public static int shardHash(byte[] b, int off, int len, Fields scratch) {
        return scratch.read(b, off, len) ? hash(b, off, scratch.qtypeOffset() - off) : hash(b, off, len);
    }

    /** The partition of a key with {@code hash}, among {@code partitions}. */
    public static int partition(int hash, int partitions) {
        // finish the hash (murmur3's fmix32) so that every bit counts for the remainder
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Integer.remainderUnsigned(h, partitions);
    }

    /** The key of {@code pair}. */
    public static byte[] of(PairKey pair) {
        Builder b = new Builder();
        byte[] r = pair.router().getBytes(StandardCharsets.UTF_8);
        byte[] c = pair.client().getBytes(StandardCharsets.UTF_8);
        byte[] d = pair.domain().getBytes(StandardCharsets.UTF_8);
        byte[] t = pair.qtype().getBytes(StandardCharsets.UTF_8);
        int n = b.build(r, 0, r.length, c, 0, c.length, d, 0, d.length, t, 0, t.length);
        return Arrays.copyOf(b.bytes(), n);
    }

    /** The pair of a key, null when the bytes are not one. */
    public static @Nullable PairKey decode(byte[] b, int off, int len) {
        Fields f = new Fields();
        if (!f.read(b, off, len)) {
            return null;
        }
        return new PairKey(
                Bytes.decode(b, f.routerOffset(), f.routerLength()),
                Bytes.decode(b, f.clientOffset(), f.clientLength()),
                Bytes.decode(b, f.domainOffset(), f.domainLength()),
                Bytes.decode(b, f.qtypeOffset(), f.qtypeLength()));
    }

    /** Builds keys in a buffer of its own, reused from key to key. Not thread-safe. */
    public static final class Builder {
        private byte[] buf = new byte[256];

        /**
         * Builds the key of the four fields (each a range of an array) into {@link #bytes()}.
         *
         * @return the key's length
         */
        @SuppressWarnings("TooManyParameters") // four ranges, each an array, an offset and a length
        public int build(
                byte[] router,
                int routerOff,
                int routerLen,
                byte[] client,
                int clientOff,
                int clientLen,
                byte[] domain,
                int domainOff,
                int domainLen,
                byte[] qtype,
                int qtypeOff,
                int qtypeLen) {
            int n = 15 + routerLen + clientLen + domainLen + qtypeLen;
            room(n);
            int p = field(buf, 0, router, routerOff, routerLen);
            p = field(buf, p, client, clientOff, clientLen);
            p = field(buf, p, domain, domainOff, domainLen);
            System.arraycopy(qtype, qtypeOff, buf, p, qtypeLen);
            return p + qtypeLen;
        }

        /** The buffer holding the key built last (replaced when a longer key needs more room). */
        public byte[] bytes() {
            return buf;
        }

        /** The buffer, with room for a key of {@code n} bytes that the caller writes itself. */
        public byte[] room(int n) {
            if (n > buf.length) {
                buf = new byte[Math.max(n, buf.length * 2)];
            }
            return buf;
        }

        private static int field(byte[] dst, int at, byte[] src, int off, int len) {
            int p = at;
            int v = len;
            while (v >= 0x80) {
                dst[p++] = (byte) (v | 0x80);
                v >>>= 7;
            }
            dst[p++] = (byte) v;
            System.arraycopy(src, off, dst, p, len);
            return p + len;
        }
    }

    /** Where the fields of one key are (reused from key to key). Not thread-safe. */
    public static final class Fields {
        private int routerOff;
        private int routerLen;
        private int clientOff;
        private int clientLen;
        private int domainOff;
        private int domainLen;
        private int qtypeOff;
        private int qtypeLen;
        /** Set by {@link #field}: the length read, or -1. */
        private int length;

        /** Reads the key at {@code off}; false (the fields undefined) when it is not one. */
        public boolean read(byte[] b, int off, int len) {
            int end = off + len;
            int p = routerAndClient(b, off, end);
            if (p < 0) {
                return false;
            }
            p = field(b, p, end);
            if (p < 0) {
                return false;
            }
            domainOff = p - length;
            domainLen = length;
            qtypeOff = p;
            qtypeLen = end - p;
            return true;
        }

        /**
         * Reads a client key at {@code off}: the router and the client as a pair's key starts with them (where
         * {@link #clientEnd} ends), nothing after. False (the fields undefined) when it is not one.
         */
        public boolean readClient(byte[] b, int off, int len) {
            return routerAndClient(b, off, off + len) == off + len;
        }

        /** Reads the router and the client from {@code off}: the position after them, or -1. */
        private int routerAndClient(byte[] b, int off, int end) {
            int p = field(b, off, end);
            if (p < 0) {
                return -1;
            }
            routerOff = p - length;
            routerLen = length;
            p = field(b, p, end);
            if (p < 0) {
                return -1;
            }
            clientOff = p - length;
            clientLen = length;
            return p;
        }

        /** Where the client's bytes end: a pair's key up to here is its client key (router and client). */
        public int clientEnd() {
            return clientOff + clientLen;
        }

        /** Reads one length and skips its bytes: the position after them, or -1. */
        private int field(byte[] b, int from, int end) {
            int v = 0;
            int p = from;
            for (int shift = 0; ; shift += 7) {
                if (p >= end || shift > 21) {
                    return -1;
                }
                int x = b[p++];
                v |= (x & 0x7f) << shift;
                if (x >= 0) {
                    break;
                }
            }
            if (v > end - p) {
                return -1;
            }
            length = v;
            return p + v;
        }

        public int routerOffset() {
            return routerOff;
        }

        public int routerLength() {
            return routerLen;
        }

        public int clientOffset() {
            return clientOff;
        }

        public int clientLength() {
            return clientLen;
        }

        public int domainOffset() {
            return domainOff;
        }

        public int domainLength() {
            return domainLen;
        }

        public int qtypeOffset() {
            return qtypeOff;
        }

        public int qtypeLength() {
            return qtypeLen;
        }
    }
}
