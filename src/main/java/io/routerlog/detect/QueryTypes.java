package io.routerlog.detect;

import java.util.Set;

/** Query types as the store names them ({@code A}, {@code TXT}, {@code TYPE65399}), and which are unusual. */
public final class QueryTypes {
    private QueryTypes() {}

    private static final Set<String> UNUSUAL = Set.of("TXT", "NULL", "CNAME", "MX", "ANY", "KEY", "DNSKEY");

    /**
     * Whether a query of this type is one that tunnels carry data in and ordinary clients of a home network rarely
     * send: TXT, NULL, CNAME, MX, ANY and the private types (65280 and up) that iodine falls back to.
     */
    public static boolean isUnusual(String qtype) {
        if (UNUSUAL.contains(qtype)) {
            return true;
        }
        if (qtype.startsWith("TYPE") && qtype.length() > 4 && qtype.length() <= 9) {
            try {
                int t = Integer.parseInt(qtype.substring(4));
                return t == 10 || (t >= 65280 && t <= 65534);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }
}
