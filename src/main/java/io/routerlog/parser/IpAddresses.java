package io.routerlog.parser;

/** Syntax checks for address literals in log lines (no lookups, no allocation). */
final class IpAddresses {
    private IpAddresses() {
    }

    static boolean isIpLiteral(String s) {
        return isIpv4(s, 0, s.length()) || isIpv6(s);
    }

    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int value = 0;
            while (i < to && Character.isDigit(s.charAt(i)) && i - start < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || value > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
        return false;
    }

    static boolean isIpv6(String s) {
        int end = s.indexOf('%');
        if (end == 0) {
            return false;
        }
        if (end < 0) {
            end = s.length();
        }
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (s.startsWith("::")) {
            compressed = true;
            i = 2;
            if (i == end) {
                return true;
            }
        }
        while (i < end) {
            int start = i;
            while (i < end && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                // embedded IPv4 in the last 32 bits
                return isIpv4(s, start, end) && groups + 2 <= (compressed ? 7 : 8)
                        && (compressed || groups + 2 == 8);
            }
            if (i == start) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == end) {
                    break;
                }
            } else if (i == end) {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
