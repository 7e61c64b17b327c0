package io.routerlog.aggregate;

import io.routerlog.bytes.Bytes;
import io.routerlog.store.PairBytes;
import org.jspecify.annotations.Nullable;

/**
 * The pair being drained, read from its key ({@link PairBytes}) on the flush thread: its labels are decoded only when
 * a part asks for them (for a pair its memo entry does not know yet), and at most once per pair. Router, client and
 * type are interned: they recur in every pair of a client, and the parts keep them. Reused from pair to pair.
 */
final class PairView {
    private final PairBytes.Fields fields = new PairBytes.Fields();
    private byte[] b = new byte[0];
    private @Nullable String router;
    private @Nullable String client;
    private @Nullable String domain;
    private @Nullable String qtype;

    /** Points the view at the key at {@code off}; false when the bytes are not a key. */
    boolean set(byte[] key, int off, int len) {
        b = key;
        router = null;
        client = null;
        domain = null;
        qtype = null;
        return fields.read(key, off, len);
    }

    String router() {
        String s = router;
        if (s == null) {
            s = Bytes.decode(b, fields.routerOffset(), fields.routerLength()).intern();
            router = s;
        }
        return s;
    }

    String client() {
        String s = client;
        if (s == null) {
            s = Bytes.decode(b, fields.clientOffset(), fields.clientLength()).intern();
            client = s;
        }
        return s;
    }

    String domain() {
        String s = domain;
        if (s == null) {
            s = Bytes.decode(b, fields.domainOffset(), fields.domainLength());
            domain = s;
        }
        return s;
    }

    String qtype() {
        String s = qtype;
        if (s == null) {
            s = Bytes.decode(b, fields.qtypeOffset(), fields.qtypeLength()).intern();
            qtype = s;
        }
        return s;
    }

    /** Whether the type is {@code ascii}, without decoding it. */
    boolean qtypeIs(String ascii) {
        return Bytes.equalsAscii(b, fields.qtypeOffset(), fields.qtypeLength(), ascii);
    }
}
