package io.routerlog.stats;

import io.routerlog.bytes.Bytes;
import io.routerlog.bytes.BytesTable;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages per sending program (the syslog tag or APP-NAME), bounded: program names come from the network, so
 * after {@code maxPrograms} distinct names the rest are counted under {@value #OVERFLOW}.
 */
public final class ProgramCounts {
    public static final int DEFAULT_MAX_PROGRAMS = 100;
    public static final String OVERFLOW = "_other";
    public static final String NONE = "_none";
    private static final int LAST_NAME_BYTES = 32;

    private final int maxPrograms;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder overflow = new LongAdder();

    ProgramCounts(int maxPrograms) {
        this.maxPrograms = maxPrograms;
    }

    /** A per-thread view that finds the counter of a program name without allocating. */
    public Local local() {
        return new Local();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        long o = overflow.sum();
        if (o > 0) {
            m.put(OVERFLOW, o);
        }
        return m;
    }

    private LongAdder adderFor(String program) {
        LongAdder a = counts.get(program);
        if (a != null) {
            return a;
        }
        if (counts.size() >= maxPrograms) {
            return overflow;
        }
        return counts.computeIfAbsent(program, k -> new LongAdder());
    }

    /** Not thread-safe; one per receive thread. */
    public final class Local {
        private final BytesTable names = new BytesTable(32);
        private LongAdder[] adders = new LongAdder[32];
        /** The program of the last line and its counter: a router's lines mostly come from one program in a row. */
        private final byte[] lastName = new byte[LAST_NAME_BYTES];

        private int lastLength = -1;
        private LongAdder lastAdder = overflow;

        public void count(byte[] b, int off, int len) {
            if (len == lastLength && Arrays.equals(b, off, off + len, lastName, 0, len)) {
                lastAdder.increment();
                return;
            }
            if (len == 0) {
                adderFor(NONE).increment();
                return;
            }
            int h = Bytes.hash(Bytes.HASH_SEED, b, off, len);
            int e = names.find(b, off, len, h);
            if (e < 0) {
                if (names.size() >= 4 * maxPrograms) {
                    // a flood of random names: stop caching, they all land in the overflow counter anyway
                    adderFor(Bytes.decode(b, off, len)).increment();
                    return;
                }
                e = names.findOrAdd(b, off, len, h);
                if (e >= adders.length) {
                    adders = Arrays.copyOf(adders, adders.length * 2);
                }
                adders[e] = adderFor(Bytes.decode(b, off, len));
            }
            LongAdder adder = adders[e];
            adder.increment();
            if (len <= LAST_NAME_BYTES) {
                System.arraycopy(b, off, lastName, 0, len);
                lastLength = len;
                lastAdder = adder;
            }
        }
    }
}
