package io.routerlog.parser;

import java.util.Arrays;
import java.util.Locale;

/** Turns the client identifiers dnsmasq logs into MAC addresses where they contain one. */
final class Duids {
    private Duids() {}

    /**
     * The MAC address in a DHCPv6 DUID-LLT (type 1) or DUID-LL (type 3) of Ethernet hardware; any other
     * identifier (a plain MAC, a DUID-EN, a UUID) is returned lower-cased as it was logged.
     */
    static String macOf(String id) {
        String s = id.toLowerCase(Locale.ROOT);
        String[] octets = s.split(":");
        if (octets.length < 10 || !allOctets(octets)) {
            return s;
        }
        if (octets.length == 14
                && octets[0].equals("00")
                && octets[1].equals("01")
                && octets[2].equals("00")
                && octets[3].equals("01")) {
            return String.join(":", Arrays.copyOfRange(octets, 8, 14));
        }
        if (octets.length == 10
                && octets[0].equals("00")
                && octets[1].equals("03")
                && octets[2].equals("00")
                && octets[3].equals("01")) {
            return String.join(":", Arrays.copyOfRange(octets, 4, 10));
        }
        return s;
    }

    /** True for {@code hh:hh:...} with at least two octets, as dnsmasq prints MACs and DUIDs (type prefix allowed). */
    static boolean isHexOctets(String id) {
        String s = id.length() > 3 && id.charAt(2) == '-' ? id.substring(3) : id;
        String[] octets = s.split(":");
        return octets.length >= 2 && allOctets(octets);
    }

    private static boolean allOctets(String[] octets) {
        for (String o : octets) {
            if (o.length() != 2 || Character.digit(o.charAt(0), 16) < 0 || Character.digit(o.charAt(1), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
