package io.routerlog.rules;

import io.routerlog.bytes.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The DNSTT domains (--dnstt-domain) as lower-case ASCII bytes without a trailing dot, and which of them a queried
 * name is, or is under. Shared by the query log and the packet parsers so both name the same tunnel the same way.
 */
final class TunnelDomains {
    private final byte[][] domains;

    TunnelDomains(List<String> domains) {
        this.domains = domains.stream()
                .map(d -> {
                    String s = d.strip().toLowerCase(Locale.ROOT);
                    return (s.endsWith(".") ? s.substring(0, s.length() - 1) : s).getBytes(StandardCharsets.US_ASCII);
                })
                .toArray(byte[][]::new);
    }

    /** Index of the tunnel domain {@code b[name, name+len)} is (or is under), the longest if several, or -1. */
    int indexOf(byte[] b, int name, int len) {
        int found = -1;
        for (int i = 0; i < domains.length; i++) {
            byte[] domain = domains[i];
            int d = domain.length;
            if (len >= d
                    && Bytes.equals(b, name + len - d, d, domain, 0, d)
                    && (len == d || b[name + len - d - 1] == '.')
                    && (found < 0 || d > domains[found].length)) {
                found = i;
            }
        }
        return found;
    }

    /** Length in bytes of the domain at {@code index}. */
    int length(int index) {
        return domains[index].length;
    }
}
