package io.routerlog.parser;

import io.routerlog.bytes.IpText;
import io.routerlog.event.DhcpLease;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads dnsmasq's lease file ({@code /tmp/dhcp.leases} on OpenWrt): {@code EXPIRY MAC IP HOSTNAME|* CLIENTID|*}
 * per IPv4 lease, and after a {@code duid SERVER-DUID} line {@code EXPIRY IAID IPV6 HOSTNAME|* CLIENT-DUID|*} per
 * IPv6 lease. Expiry is a Unix time, 0 for an infinite lease. Expired leases and lines that do not fit are skipped.
 */
public final class LeaseFileParser {
    private LeaseFileParser() {}

    /**
     * The leases in the lines of a dnsmasq lease file.
     *
     * @param router       the router whose DHCP server wrote the file
     * @param seenAtMillis the time the identities were true (the file's modification time)
     * @param nowMillis    leases that ended before this are skipped
     */
    public static List<DhcpLease> parse(String router, List<String> lines, long seenAtMillis, long nowMillis) {
        List<DhcpLease> leases = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || f[0].equals("duid")) {
                continue;
            }
            long expiry;
            try {
                expiry = Long.parseLong(f[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            long expiresAt = expiry == 0 ? 0 : expiry * 1000;
            if (expiresAt != 0 && expiresAt <= nowMillis) {
                continue;
            }
            String ip = f[2];
            if (!IpText.isAddress(ip)) {
                continue;
            }
            String hostname = f[3].equals("*") ? "" : f[3];
            String clientId = f.length >= 5 && !f[4].equals("*") ? f[4] : "";
            String id;
            if (f[1].contains(":") || f[1].contains("-")) {
                id = f[1];
            } else if (!clientId.isEmpty()) {
                id = clientId; // IPv6: IAID in the second field, the client's DUID last
            } else {
                continue;
            }
            leases.add(new DhcpLease(router, ip, Duids.macOf(id), hostname, clientId, seenAtMillis, expiresAt));
        }
        return leases;
    }
}
