package io.routerlog.rules;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import io.routerlog.bytes.IpText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The addresses of one receive thread's devices as sources wrote them, each with its canonical form ({@link IpText})
 * and its stored form (canonical, then anonymized when {@code --anonymize-clients} asks for it). Looking up an
 * address seen before costs a hash and a compare; the cache is emptied when it reaches its bound, so a flood of
 * distinct addresses costs time, not memory.
 *
 * <p>Not thread-safe: one instance per receive thread.
 */
final class ClientAddresses {
    private static final int CACHE_LIMIT = 65_536;

    private final ClientAnonymizer anonymizer;
    private final BytesTable cache = new BytesTable(256);
    private byte[][] canonical = new byte[256][];
    private byte[][] stored = new byte[256][];
    private final byte[] address = new byte[16];
    private final byte[] text = new byte[IpText.MAX_TEXT];

    ClientAddresses(ClientAnonymizer anonymizer) {
        this.anonymizer = anonymizer;
    }

    /** The entry of the address written as {@code b[off, off+len)}, or -1 when that is not an address. */
    int lookup(byte[] b, int off, int len) {
        int h = Bytes.hash(Bytes.HASH_SEED, b, off, len);
        int e = cache.find(b, off, len, h);
        if (e >= 0) {
            return e;
        }
        int n = IpText.canonical(b, off, len, address, text, 0);
        if (n < 0) {
            return -1;
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
            Arrays.fill(canonical, null);
            Arrays.fill(stored, null);
        }
        e = cache.findOrAdd(b, off, len, h);
        if (e >= canonical.length) {
            canonical = Arrays.copyOf(canonical, Math.max(canonical.length * 2, e + 1));
            stored = Arrays.copyOf(stored, canonical.length);
        }
        byte[] c = Arrays.copyOf(text, n);
        canonical[e] = c;
        stored[e] = anonymizer.active()
                ? anonymizer
                        .anonymize(new String(c, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1)
                : c;
        return e;
    }

    /** The canonical text of an entry (what GeoIP and DNSTT senders use). */
    byte[] canonical(int entry) {
        return canonical[entry];
    }

    /** The text stored and exported for an entry. */
    byte[] stored(int entry) {
        return stored[entry];
    }

    /**
     * The stored form of an address given as text by a source that does not check it (firewall, proxy and DHCP
     * lines): an address gets its canonical, anonymized form; other text is escaped ({@link Names#escape}) and
     * anonymized as a whole.
     */
    String stored(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        int e = lookup(b, 0, b.length);
        if (e >= 0) {
            return new String(stored[e], StandardCharsets.ISO_8859_1);
        }
        return anonymizer.anonymize(Names.escape(text));
    }

    boolean anonymizing() {
        return anonymizer.active();
    }
}
