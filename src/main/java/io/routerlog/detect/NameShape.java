package io.routerlog.detect;

/**
 * What the part of a query name below its registrable domain looks like: its length and longest label in bytes, the
 * Shannon entropy of its bytes, and a 63-bit hash that identifies it. Measured on the stored form, where a byte that
 * is not printable is written {@code \DDD}: that counts as the one byte it stands for.
 *
 * <p>Names of services ({@code _ldap._tcp}, {@code _dns-sd._udp}: a label that starts with an underscore) are
 * described by standards, not chosen by whoever sends the query, so they are not measured.
 *
 * <p>The three numbers travel packed in one int ({@link #pack}), so a sample of names is two arrays.
 */
public final class NameShape {
    private static final int MAX_LENGTH = (1 << 10) - 1;
    private static final int MAX_LABEL = (1 << 8) - 1;

    private final int[] histogram = new int[256];
    private final byte[] bytes = new byte[MAX_LENGTH];

    private int length;
    private int longestLabel;
    private int entropyCentibits;
    private long hash;

    /**
     * Measures {@code name[0, end)}, the part below the registrable domain (without the dot before it). Not
     * thread-safe: one per thread.
     *
     * @return false when there is nothing to measure (an empty part, a service name)
     */
    public boolean measure(String name, int end) {
        if (end <= 0) {
            return false;
        }
        int n = 0;
        int label = 0;
        int longest = 0;
        boolean labelStart = true;
        for (int i = 0; i < end && n < MAX_LENGTH; i++) {
            int c = name.charAt(i);
            if (c == '.') {
                longest = Math.max(longest, label);
                label = 0;
                labelStart = true;
                continue;
            }
            if (labelStart && c == '_') {
                return false;
            }
            labelStart = false;
            if (c == '\\' && i + 3 < end && isDigit(name, i + 1) && isDigit(name, i + 2) && isDigit(name, i + 3)) {
                c = (name.charAt(i + 1) - '0') * 100 + (name.charAt(i + 2) - '0') * 10 + (name.charAt(i + 3) - '0');
                i += 3;
            }
            bytes[n++] = (byte) c;
            label++;
        }
        longest = Math.max(longest, label);
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            histogram[bytes[i] & 0xff]++;
        }
        double entropy = 0;
        for (int i = 0; i < n; i++) {
            int count = histogram[bytes[i] & 0xff];
            if (count > 0) {
                double p = (double) count / n;
                entropy -= p * Math.log(p);
                histogram[bytes[i] & 0xff] = 0;
            }
        }
        length = n;
        longestLabel = Math.min(longest, MAX_LABEL);
        entropyCentibits = (int) Math.round(entropy / Math.log(2) * 100);
        hash = hash(name, end) >>> 1;
        return true;
    }

    /**
     * A 64-bit hash of {@code name[0, end)} that allocates nothing (it runs for every distinct pair of every flush):
     * FNV-1a over the characters, then MurmurHash3's 64-bit finalizer so that every bit depends on every input bit.
     */
    static long hash(String name, int end) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < end; i++) {
            h = (h ^ name.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static boolean isDigit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9';
    }

    /** Bytes of the part measured last, dots not counted. */
    public int length() {
        return length;
    }

    public int longestLabel() {
        return longestLabel;
    }

    /** Shannon entropy of the bytes, in hundredths of a bit per byte. */
    public int entropyCentibits() {
        return entropyCentibits;
    }

    /** A non-negative hash of the part measured last. */
    public long hash() {
        return hash;
    }

    /** Length, longest label and entropy of the part measured last, in one int. */
    public int pack() {
        return length | longestLabel << 10 | entropyCentibits << 18;
    }

    public static int length(int packed) {
        return packed & MAX_LENGTH;
    }

    public static int longestLabel(int packed) {
        return packed >>> 10 & MAX_LABEL;
    }

    public static int entropyCentibits(int packed) {
        return packed >>> 18;
    }
}
