package io.routerlog.source;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A set of address ranges (CIDR blocks) to test senders against. Besides CIDRs it knows three words:
 * {@code loopback} (127.0.0.0/8, ::1), {@code private} (RFC 1918, carrier-grade NAT 100.64.0.0/10, link-local and
 * IPv6 unique-local and link-local) and {@code any}. IPv4-mapped IPv6 senders are tested as IPv4.
 */
public final class AddressRanges {
    private static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");
    private static final List<String> PRIVATE = List.of(
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "100.64.0.0/10",
            "169.254.0.0/16",
            "fc00::/7",
            "fe80::/10");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final boolean any;
    private final String text;

    private AddressRanges(List<Range> ranges, boolean any, String text) {
        this.ranges = ranges;
        this.any = any;
        this.text = text;
    }

    /**
     * Parses a list of CIDRs and words.
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static AddressRanges parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        boolean any = false;
        for (String raw : entries) {
            String e = raw.strip().toLowerCase(Locale.ROOT);
            switch (e) {
                case "" -> {}
                case "any" -> any = true;
                case "loopback" -> LOOPBACK.forEach(c -> ranges.add(cidr(c)));
                case "private" -> PRIVATE.forEach(c -> ranges.add(cidr(c)));
                default -> ranges.add(cidr(e));
            }
        }
        return new AddressRanges(List.copyOf(ranges), any, String.join(",", entries));
    }

    private static Range cidr(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!(host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("'" + text + "' is not an address range (CIDR such as 192.168.1.0/24)");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address range (CIDR such as 192.168.1.0/24)");
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length (0 to " + max + ")");
            }
        }
        return new Range(address, prefix);
    }

    public boolean contains(InetAddress address) {
        if (any) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** True when no sender is allowed (an empty list). */
    public boolean isEmpty() {
        return !any && ranges.isEmpty();
    }

    /** True when every sender is allowed. */
    public boolean allowsAll() {
        return any;
    }

    @Override
    public String toString() {
        return text;
    }
}
