package io.routerlog.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Query names of DNS tunnels and exfiltration, deterministic from a seed, for the tests of a detector. Each method
 * returns one client's queries in time order; {@link DnsQuery#pattern} names the method. Every tunnel lives under a
 * made-up domain of its own below {@code .example} or {@code .test}.
 *
 * <ul>
 *   <li>{@link #dnstt}: names exactly as a dnstt client encodes them ({@link DnsttClientNames}: base32 of ClientID,
 *       padding and data, labels of up to 63 characters), TXT only. A transfer sends a data query every 10-60 ms with
 *       polls among them; afterwards the client polls with the delay doubling from 0.5 s up to 10 s, as dnstt's
 *       client does when nothing comes back.
 *   <li>{@link #dnscat2}: dnscat2-like: a packet (id, type, session, seq, ack, data) in lowercase hex, labels of up to
 *       62 characters, each query TXT, CNAME or MX at random; a SYN first, then data as fast as it goes, then a poll
 *       every second.
 *   <li>{@link #slowExfiltration}: a file, base32 (lowercase), hex or base64url encoded, cut into single labels of
 *       40-60 characters (the file's last may be shorter), A queries a few per minute over a long time: low
 *       volume, high entropy, never a repeated name.
 *   <li>{@link #beacon}: one device asking for the same generated-looking name every period (jitter under a
 *       second). Not a tunnel by volume: a hard case for a detector, which may flag it for its regularity but must
 *       not take it for a transfer.
 * </ul>
 *
 * A real iodine capture comes from {@link IodineTunnel}, not from here.
 */
public final class TunnelTraffic {
    /** How slow exfiltration encodes the file. */
    public enum Encoding {
        BASE32,
        HEX,
        BASE64URL
    }

    /** The longest name (without the trailing dot) these generators write. */
    public static final int MAX_NAME = 253;

    private TunnelTraffic() {}

    /**
     * A dnstt session: {@code upload} bytes sent in data queries (with a poll after about every third), then idle
     * polling until {@code idle} has passed.
     */
    public static List<DnsQuery> dnstt(
            long seed, Instant start, String client, String domain, int upload, Duration idle) {
        Random r = new Random(seed);
        long clientId = r.nextLong();
        int chunk = dnsttMaxData(domain);
        List<DnsQuery> out = new ArrayList<>();
        Instant t = start;
        out.add(q(t, client, DnsttClientNames.poll(clientId, domain), "TXT", "dnstt"));
        for (int sent = 0; sent < upload; ) {
            int n = Math.min(chunk, upload - sent);
            byte[] data = new byte[n];
            r.nextBytes(data);
            t = t.plusMillis(10 + r.nextInt(51));
            out.add(q(t, client, DnsttClientNames.data(clientId, data, domain), "TXT", "dnstt"));
            sent += n;
            if (r.nextInt(3) == 0) {
                t = t.plusMillis(5 + r.nextInt(20));
                out.add(q(t, client, DnsttClientNames.poll(clientId, domain), "TXT", "dnstt"));
            }
        }
        Instant end = t.plus(idle);
        long delay = 500;
        while (true) {
            t = t.plusMillis(delay);
            if (t.isAfter(end)) {
                break;
            }
            out.add(q(t, client, DnsttClientNames.poll(clientId, domain), "TXT", "dnstt"));
            delay = Math.min(10_000, delay * 2);
        }
        return out;
    }

    /** The most data bytes (under 224) one dnstt data query carries when the name may have {@link #MAX_NAME}. */
    public static int dnsttMaxData(String domain) {
        int best = 0;
        for (int d = 1; d < 224; d++) {
            if (DnsttClientNames.data(0, new byte[d], domain).length() <= MAX_NAME) {
                best = d;
            }
        }
        if (best == 0) {
            throw new IllegalArgumentException("domain too long for dnstt data: " + domain);
        }
        return best;
    }

    /**
     * A dnscat2-like session: a SYN, {@code upload} bytes in MSG packets as fast as they go (20-80 ms apart), then a
     * poll (an empty MSG) every second until {@code idle} has passed.
     */
    public static List<DnsQuery> dnscat2(
            long seed, Instant start, String client, String domain, int upload, Duration idle) {
        Random r = new Random(seed);
        int session = r.nextInt(0x10000);
        int seq = r.nextInt(0x10000);
        int ack = r.nextInt(0x10000);
        List<DnsQuery> out = new ArrayList<>();
        Instant t = start;
        // SYN: packet id, type 0, session, initial seq, options (none)
        out.add(dnscatQuery(r, t, client, domain, 0x00, session, seq, -1, new byte[] {0, 0}));
        int room = (MAX_NAME - domain.length() - 1) * 62 / 63 / 2 - 9;
        for (int sent = 0; sent < upload; ) {
            int n = Math.min(room, upload - sent);
            byte[] data = new byte[n];
            r.nextBytes(data);
            t = t.plusMillis(20 + r.nextInt(61));
            out.add(dnscatQuery(r, t, client, domain, 0x01, session, seq, ack, data));
            seq = (seq + n) & 0xffff;
            ack = (ack + r.nextInt(40)) & 0xffff;
            sent += n;
        }
        Instant end = t.plus(idle);
        while (true) {
            t = t.plusMillis(1000 + r.nextInt(20));
            if (t.isAfter(end)) {
                break;
            }
            out.add(dnscatQuery(r, t, client, domain, 0x01, session, seq, ack, new byte[0]));
        }
        return out;
    }

    private static DnsQuery dnscatQuery(
            Random r, Instant t, String client, String domain, int type, int session, int seq, int ack, byte[] data) {
        byte[] p = new byte[ack < 0 ? 7 + data.length : 9 + data.length];
        int i = 0;
        int id = r.nextInt(0x10000);
        p[i++] = (byte) (id >>> 8);
        p[i++] = (byte) id;
        p[i++] = (byte) type;
        p[i++] = (byte) (session >>> 8);
        p[i++] = (byte) session;
        p[i++] = (byte) (seq >>> 8);
        p[i++] = (byte) seq;
        if (ack >= 0) {
            p[i++] = (byte) (ack >>> 8);
            p[i++] = (byte) ack;
        }
        System.arraycopy(data, 0, p, i, data.length);
        String name = labels(HexFormat.of().formatHex(p), 62) + "." + domain;
        String[] types = {"TXT", "CNAME", "MX"};
        return q(t, client, name, types[r.nextInt(types.length)], "dnscat2");
    }

    /**
     * A file of {@code fileBytes} pseudo-random bytes leaving in A queries, one label of 40-60 characters each,
     * {@code perMinute} queries a minute on average (gaps drawn around the mean, between a fifth and three times it),
     * until the file is sent or {@code duration} has passed.
     */
    public static List<DnsQuery> slowExfiltration(
            long seed,
            Instant start,
            String client,
            String domain,
            Encoding encoding,
            int fileBytes,
            Duration duration,
            double perMinute) {
        Random r = new Random(seed);
        byte[] file = new byte[fileBytes];
        r.nextBytes(file);
        String text = switch (encoding) {
            case BASE32 -> DnsttClientNames.base32(file).toLowerCase(Locale.ROOT);
            case HEX -> HexFormat.of().formatHex(file);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(file);
        };
        String pattern = "exfil-" + encoding.name().toLowerCase(Locale.ROOT);
        double meanMillis = 60_000 / perMinute;
        Instant end = start.plus(duration);
        List<DnsQuery> out = new ArrayList<>();
        Instant t = start;
        for (int at = 0; at < text.length() && !t.isAfter(end); ) {
            int n = Math.min(text.length() - at, 40 + r.nextInt(21));
            out.add(q(t, client, text.substring(at, at + n) + "." + domain, "A", pattern));
            at += n;
            double gap = -Math.log(1 - r.nextDouble()) * meanMillis;
            t = t.plusMillis((long) Math.max(meanMillis / 5, Math.min(meanMillis * 3, gap)));
        }
        return out;
    }

    /** The same generated-looking A query every {@code period} (plus under a second of jitter) for {@code duration}. */
    public static List<DnsQuery> beacon(
            long seed, Instant start, String client, String domain, Duration duration, Duration period) {
        Random r = new Random(seed);
        String name = randomLabel(r, 20, "abcdefghijklmnopqrstuvwxyz0123456789") + "." + domain;
        List<DnsQuery> out = new ArrayList<>();
        for (Instant tick = start; !tick.isAfter(start.plus(duration)); tick = tick.plus(period)) {
            out.add(q(tick.plusMillis(r.nextInt(1000)), client, name, "A", "beacon"));
        }
        return out;
    }

    /**
     * An hour of all of them from their own clients, in time order: dnstt (192.168.1.66, t.tunnel-a.example, 64 KiB
     * then idle), dnscat2-like (192.168.1.67, c.tunnel-b.example, 16 KiB then idle), slow exfiltration of 12 KiB in
     * base32 (192.168.1.68, x.exfil-c.example), hex (192.168.1.69, exfil-d.test) and base64url (192.168.1.70,
     * exfil-e.test) at 3 a minute, and a beacon (192.168.1.71, beacon-f.example) every 60 s.
     */
    public static List<DnsQuery> hour(long seed, Instant start) {
        Duration hour = Duration.ofHours(1);
        return DnsQuery.merge(
                dnstt(seed, start.plusSeconds(300), "192.168.1.66", "t.tunnel-a.example", 64 * 1024, hour),
                dnscat2(seed + 1, start.plusSeconds(600), "192.168.1.67", "c.tunnel-b.example", 16 * 1024, hour),
                slowExfiltration(
                        seed + 2, start, "192.168.1.68", "x.exfil-c.example", Encoding.BASE32, 12 * 1024, hour, 3),
                slowExfiltration(seed + 3, start, "192.168.1.69", "exfil-d.test", Encoding.HEX, 12 * 1024, hour, 3),
                slowExfiltration(
                        seed + 4, start, "192.168.1.70", "exfil-e.test", Encoding.BASE64URL, 12 * 1024, hour, 3),
                beacon(seed + 5, start, "192.168.1.71", "beacon-f.example", hour, Duration.ofSeconds(60)));
    }

    static String labels(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i += max) {
            if (i > 0) {
                b.append('.');
            }
            b.append(s, i, Math.min(s.length(), i + max));
        }
        return b.toString();
    }

    static String randomLabel(Random r, int length, String alphabet) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static DnsQuery q(Instant t, String client, String name, String qtype, String pattern) {
        return new DnsQuery(t, client, name, qtype, pattern);
    }
}
