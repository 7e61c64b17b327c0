package io.routerlog.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Names that are never stored ({@code --ignore-domain}). A plain name matches itself and every name under it
 * ({@code example.com} matches {@code www.example.com}); a pattern with {@code *} (any run of characters, dots
 * included) or {@code ?} (one character) must match the whole name ({@code *.cdn.*}, {@code tracker?.net}).
 * Matching works on the lower-cased bytes of the name, without allocating.
 */
public final class DomainFilter {
    private final byte[][] suffixes;
    private final byte[][] globs;

    private DomainFilter(byte[][] suffixes, byte[][] globs) {
        this.suffixes = suffixes;
        this.globs = globs;
    }

    public static DomainFilter of(List<String> patterns) {
        List<byte[]> suffixes = new ArrayList<>();
        List<byte[]> globs = new ArrayList<>();
        for (String p : patterns) {
            String s = p.strip().toLowerCase(Locale.ROOT);
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                continue;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            (s.indexOf('*') >= 0 || s.indexOf('?') >= 0 ? globs : suffixes).add(b);
        }
        return new DomainFilter(suffixes.toArray(byte[][]::new), globs.toArray(byte[][]::new));
    }

    public boolean isEmpty() {
        return suffixes.length == 0 && globs.length == 0;
    }

    /** True when the lower-case name {@code b[off, off+len)} is to be ignored. */
    public boolean matches(byte[] b, int off, int len) {
        for (byte[] s : suffixes) {
            int n = s.length;
            if (len >= n
                    && Arrays.equals(b, off + len - n, off + len, s, 0, n)
                    && (len == n || b[off + len - n - 1] == '.')) {
                return true;
            }
        }
        for (byte[] g : globs) {
            if (glob(g, 0, b, off, off + len)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(byte[] p, int pi, byte[] b, int bi, int end) {
        while (pi < p.length) {
            byte c = p[pi];
            if (c == '*') {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                if (pi == p.length) {
                    return true;
                }
                for (int i = bi; i <= end; i++) {
                    if (glob(p, pi, b, i, end)) {
                        return true;
                    }
                }
                return false;
            }
            if (bi == end || (c != '?' && c != b[bi])) {
                return false;
            }
            pi++;
            bi++;
        }
        return bi == end;
    }
}
