package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.store.PairBytes;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The pair being drained, read from its key ({@link PairBytes}) on the flush thread: its labels are decoded only when
 * a part asks for them (for a pair its memo entry does not know yet), and at most once per pair. Router, client and
 * type are interned: they recur in every pair of a client, and the parts keep them. Reused from pair to pair.
 */
final class PairView {
    private final PairBytes.Fields fields = new PairBytes.Fields();
    private byte[] b = NO_KEY;
    /** Router, client, domain and type, as decoded so far for this pair. */
    private final @Nullable String[] labels = new String[4];

    /** Points the view at the key at {@code off}; false when the bytes are not a key. */
    boolean set(byte[] key, int off, int len) {
        b = key;
        Arrays.fill(labels, null);
        return fields.read(key, off, len);
    }

    /** Lets go of the last key's array (a table that may since have grown past it). */
    void clear() {
        b = NO_KEY;
        Arrays.fill(labels, null);
    }

    private static final byte[] NO_KEY = new byte[0];

    String router() {
        return label(0, fields.routerOffset(), fields.routerLength(), true);
    }

    String client() {
        return label(1, fields.clientOffset(), fields.clientLength(), true);
    }

    String domain() {
        return label(2, fields.domainOffset(), fields.domainLength(), false);
    }

    String qtype() {
        return label(3, fields.qtypeOffset(), fields.qtypeLength(), true);
    }

    private String label(int i, int off, int len, boolean intern) {
        String s = labels[i];
        if (s == null) {
            s = Bytes.decode(b, off, len);
            if (intern) {
                s = s.intern();
            }
            labels[i] = s;
        }
        return s;
    }

    /** Whether the type is {@code ascii}, without decoding it. */
    boolean qtypeIs(String ascii) {
        return Bytes.equalsAscii(b, fields.qtypeOffset(), fields.qtypeLength(), ascii);
    }
}
