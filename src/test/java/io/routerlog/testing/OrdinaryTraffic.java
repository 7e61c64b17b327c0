package io.routerlog.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The DNS queries of an ordinary home network, deterministic from a seed: several devices, each with its own rate
 * and mix of lookups, including the legitimate names that look like tunnels and that a detector must leave alone.
 * {@link DnsQuery#pattern} names what produced each query. The names have the shape of real ones; the generated parts
 * (hashes, ids) are random.
 *
 * <p>Patterns:
 *
 * <ul>
 *   <li>{@code popular}: well-known sites and APIs, A and AAAA (and HTTPS from browsers and Apple devices).
 *   <li>{@code cdn-cloudfront}: {@code d} and 13 random characters under {@code cloudfront.net}, one per distribution.
 *   <li>{@code cdn-akamai}: {@code e1234.a.akamaiedge.net}-style edge names (number and shard vary).
 *   <li>{@code cdn-googlevideo}: YouTube caches, {@code rr3---sn-4g5e6nsz.googlevideo.com}.
 *   <li>{@code cdn-fbcdn}: Facebook/Instagram media, {@code scontent-fra5-1.xx.fbcdn.net} and {@code
 *       video-...}.
 *   <li>{@code cdn-nflxvideo}: Netflix Open Connect, {@code ipv4-c001-fra001-ix.1.oca.nflxvideo.net}.
 *   <li>{@code adtech}: 32 hex characters under {@code safeframe.googlesyndication.com} and other ad hosts.
 *   <li>{@code av-sophos}, {@code av-eset}, {@code av-mcafee}: anti-virus reputation lookups that put a file hash
 *       into the name (hex labels under {@code sophosxl.net}; a hash under {@code e5.sk}; McAfee GTI style {@code
 *       0.0.0.0.1.0.0.4e.<md5>.avqs.mcafee.com}). Their exact layouts are approximations; what matters is one
 *       high-entropy, never repeated name per lookup under one domain, often many per minute during a scan.
 *   <li>{@code dnsbl-ip}: a mail server asking block lists about connecting addresses, reversed: {@code
 *       4.3.2.1.zen.spamhaus.org}; {@code dnsbl-domain}: about domains in mail, {@code example.com.dbl.spamhaus.org}.
 *   <li>{@code reverse-v4}, {@code reverse-v6}: PTR lookups in {@code in-addr.arpa} and 32-nibble {@code ip6.arpa}.
 *   <li>{@code many-short}: many short names under one domain: {@code 0-3.pool.ntp.org}, {@code
 *       a-c.tile.openstreetmap.org}, {@code clients1-6.google.com}, {@code lh3-6.googleusercontent.com}, Apple's
 *       {@code p01-p180-caldav.icloud.com}, {@code 1-60-courier.push.apple.com} and service names.
 *   <li>{@code dns-sd}: DNS-SD and service names sent to the router: {@code lb._dns-sd._udp.lan}, {@code
 *       b._dns-sd._udp.0.1.168.192.in-addr.arpa}, {@code _ipp._tcp.lan}, Windows' {@code _ldap._tcp.dc._msdcs.lan}.
 *   <li>{@code windows}, {@code chromecast}, {@code smart-tv}: the background chatter of those devices
 *       (connectivity checks, telemetry, updates, time, WPAD).
 *   <li>{@code chrome-probe}: Chrome's three random single-label names of 7-15 letters at start and on network
 *       changes (it checks whether the resolver makes up answers; they get NXDOMAIN).
 *   <li>{@code typo}: misspelt sites and local names that do not exist (NXDOMAIN).
 *   <li>{@code iot-poll}: a smart plug asking for its cloud's name every 60 s: regular like a beacon, but readable.
 * </ul>
 */
public final class OrdinaryTraffic {
    /** A lookup pattern: its name and what one use of it asks, given the device's query types. */
    private record Pattern(String name, double weight, Function<Random, List<String>> names) {}

    /** A device: its address, the mean gap between its lookups, the query types it asks for a host, its patterns. */
    private record Device(String address, double meanGapSeconds, List<String> hostTypes, List<Pattern> patterns) {}

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String ALNUM = LOWER + "0123456789";

    private static final List<String> POPULAR = List.of(
            "www.google.com",
            "www.youtube.com",
            "en.wikipedia.org",
            "github.com",
            "api.github.com",
            "www.bbc.co.uk",
            "www.amazon.de",
            "www.reddit.com",
            "stackoverflow.com",
            "mail.google.com",
            "accounts.google.com",
            "www.gstatic.com",
            "fonts.googleapis.com",
            "fonts.gstatic.com",
            "ajax.googleapis.com",
            "cdn.jsdelivr.net",
            "www.netflix.com",
            "outlook.office365.com",
            "login.microsoftonline.com",
            "app.slack.com",
            "zoom.us",
            "www.spiegel.de",
            "news.ycombinator.com",
            "www.instagram.com",
            "www.facebook.com",
            "graph.facebook.com",
            "web.whatsapp.com",
            "open.spotify.com",
            "duckduckgo.com",
            "www.paypal.com");

    private static final List<String> AIRPORTS = List.of("fra", "ams", "lhr", "cdg", "muc", "txl", "vie", "zrh");

    private OrdinaryTraffic() {}

    /**
     * {@code duration} of a home network from {@code start}: a Linux laptop with Chrome (192.168.1.20), an iPhone
     * (fd00::a3c1:5e2f:9b10:7d44), a Windows PC with Sophos (192.168.1.22), a Windows laptop with ESET
     * (192.168.1.23), a Windows PC with McAfee (192.168.1.24), a smart TV (192.168.1.30), a Chromecast
     * (192.168.1.31), a home server that runs a mail server with DNSBL checks (192.168.1.40) and a smart plug
     * (192.168.1.50). All in time order.
     */
    public static List<DnsQuery> home(long seed, Instant start, Duration duration) {
        List<String> browser = List.of("A", "AAAA", "HTTPS");
        List<String> dual = List.of("A", "AAAA");
        List<String> v4 = List.of("A");
        List<Device> devices = List.of(
                new Device(
                        "192.168.1.20",
                        6,
                        browser,
                        List.of(
                                p("popular", 30, OrdinaryTraffic::popular),
                                p("cdn-cloudfront", 6, OrdinaryTraffic::cloudfront),
                                p("cdn-akamai", 3, OrdinaryTraffic::akamai),
                                p("cdn-googlevideo", 6, OrdinaryTraffic::googlevideo),
                                p("adtech", 6, OrdinaryTraffic::adtech),
                                p("many-short", 8, OrdinaryTraffic::manyShortGoogle),
                                p("chrome-probe", 0.3, OrdinaryTraffic::chromeProbe),
                                p("typo", 1, OrdinaryTraffic::typo),
                                p("reverse-v4", 0.5, OrdinaryTraffic::reverseV4),
                                p("dns-sd", 1, OrdinaryTraffic::dnsSd))),
                new Device(
                        "fd00::a3c1:5e2f:9b10:7d44",
                        9,
                        browser,
                        List.of(
                                p("popular", 10, OrdinaryTraffic::popular),
                                p("many-short", 15, OrdinaryTraffic::manyShortApple),
                                p("cdn-fbcdn", 8, OrdinaryTraffic::fbcdn),
                                p("cdn-akamai", 4, OrdinaryTraffic::akamai),
                                p("cdn-nflxvideo", 2, OrdinaryTraffic::nflxvideo),
                                p("adtech", 2, OrdinaryTraffic::adtech),
                                p("dns-sd", 2, OrdinaryTraffic::dnsSd),
                                p("reverse-v6", 1, OrdinaryTraffic::reverseV6))),
                new Device(
                        "192.168.1.22",
                        10,
                        dual,
                        List.of(
                                p("windows", 10, OrdinaryTraffic::windows),
                                p("popular", 10, OrdinaryTraffic::popular),
                                p("av-sophos", 6, OrdinaryTraffic::sophos),
                                p("cdn-akamai", 2, OrdinaryTraffic::akamai),
                                p("dns-sd", 1, OrdinaryTraffic::dnsSd),
                                p("typo", 0.5, OrdinaryTraffic::typo))),
                new Device(
                        "192.168.1.23",
                        15,
                        dual,
                        List.of(
                                p("windows", 10, OrdinaryTraffic::windows),
                                p("popular", 8, OrdinaryTraffic::popular),
                                p("av-eset", 5, OrdinaryTraffic::eset),
                                p("cdn-cloudfront", 2, OrdinaryTraffic::cloudfront))),
                new Device(
                        "192.168.1.24",
                        15,
                        dual,
                        List.of(
                                p("windows", 10, OrdinaryTraffic::windows),
                                p("popular", 8, OrdinaryTraffic::popular),
                                p("av-mcafee", 5, OrdinaryTraffic::mcafee),
                                p("chrome-probe", 0.3, OrdinaryTraffic::chromeProbe))),
                new Device(
                        "192.168.1.30",
                        20,
                        v4,
                        List.of(
                                p("smart-tv", 5, OrdinaryTraffic::smartTv),
                                p("cdn-nflxvideo", 10, OrdinaryTraffic::nflxvideo),
                                p("popular", 1, OrdinaryTraffic::popular))),
                new Device(
                        "192.168.1.31",
                        25,
                        dual,
                        List.of(
                                p("chromecast", 5, OrdinaryTraffic::chromecast),
                                p("cdn-googlevideo", 10, OrdinaryTraffic::googlevideo))),
                new Device(
                        "192.168.1.40",
                        12,
                        v4,
                        List.of(
                                p("dnsbl-ip", 10, OrdinaryTraffic::dnsblIp),
                                p("dnsbl-domain", 8, OrdinaryTraffic::dnsblDomain),
                                p("reverse-v4", 8, OrdinaryTraffic::reverseV4),
                                p("reverse-v6", 3, OrdinaryTraffic::reverseV6),
                                p("many-short", 2, OrdinaryTraffic::manyShortNtp))));
        Random seeds = new Random(seed);
        List<List<DnsQuery>> lists = new ArrayList<>();
        for (Device d : devices) {
            lists.add(device(new Random(seeds.nextLong()), d, start, duration));
        }
        lists.add(plug(new Random(seeds.nextLong()), start, duration));
        List<DnsQuery> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return DnsQuery.merge(all);
    }

    private static Pattern p(String name, double weight, Function<Random, List<String>> names) {
        return new Pattern(name, weight, names);
    }

    /** One device's lookups: gaps drawn from an exponential distribution around its mean. */
    private static List<DnsQuery> device(Random r, Device d, Instant start, Duration duration) {
        double total = d.patterns().stream().mapToDouble(Pattern::weight).sum();
        List<DnsQuery> out = new ArrayList<>();
        Instant end = start.plus(duration);
        Instant t = start.plusMillis(r.nextInt(5000));
        if (d.patterns().stream().anyMatch(x -> x.name().equals("chrome-probe"))) {
            burst(out, t, d, "chrome-probe", chromeProbe(r));
        }
        while (t.isBefore(end)) {
            double pick = r.nextDouble() * total;
            Pattern chosen = d.patterns().get(d.patterns().size() - 1);
            for (Pattern x : d.patterns()) {
                pick -= x.weight();
                if (pick < 0) {
                    chosen = x;
                    break;
                }
            }
            burst(out, t, d, chosen.name(), chosen.names().apply(r));
            t = t.plusMillis((long) (-Math.log(1 - r.nextDouble()) * d.meanGapSeconds() * 1000) + 1);
        }
        return out;
    }

    /**
     * Adds one use of a pattern, a few milliseconds between queries. A name given as {@code TYPE name} is asked
     * with that type only; a plain name is a host, asked with each of the device's host types.
     */
    private static void burst(List<DnsQuery> out, Instant t, Device d, String pattern, List<String> names) {
        Instant at = t;
        for (String n : names) {
            int space = n.indexOf(' ');
            List<String> types = space < 0 ? d.hostTypes() : List.of(n.substring(0, space));
            String name = space < 0 ? n : n.substring(space + 1);
            for (String type : types) {
                out.add(new DnsQuery(at, d.address(), name, type, pattern));
                at = at.plusMillis(2);
            }
        }
    }

    /** The smart plug: its cloud's name every 60 s (TTL 60), and NTP every 1024 s. */
    private static List<DnsQuery> plug(Random r, Instant start, Duration duration) {
        List<DnsQuery> out = new ArrayList<>();
        Instant end = start.plus(duration);
        Instant offset = start.plusMillis(r.nextInt(60_000));
        for (Instant t = offset; t.isBefore(end); t = t.plusSeconds(60)) {
            out.add(new DnsQuery(t.plusMillis(r.nextInt(300)), "192.168.1.50", "a2.tuyaeu.com", "A", "iot-poll"));
        }
        for (Instant t = offset; t.isBefore(end); t = t.plusSeconds(1024)) {
            out.add(new DnsQuery(t.plusMillis(500), "192.168.1.50", "pool.ntp.org", "A", "iot-poll"));
        }
        return out;
    }

    private static String pick(Random r, List<String> l) {
        return l.get(r.nextInt(l.size()));
    }

    private static String random(Random r, int length, String alphabet) {
        return TunnelTraffic.randomLabel(r, length, alphabet);
    }

    private static String hex(Random r, int bytes) {
        byte[] b = new byte[bytes];
        r.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static List<String> popular(Random r) {
        return List.of(pick(r, POPULAR));
    }

    private static List<String> cloudfront(Random r) {
        // sites use a limited set of distributions, so ids repeat: one of a pool of 40
        return List.of("d" + random(new Random(r.nextInt(40)), 13, ALNUM) + ".cloudfront.net");
    }

    private static List<String> akamai(Random r) {
        String shard = pick(r, List.of("a", "b", "dscb", "dscx", "dsce", "g"));
        return List.of("e" + (1000 + r.nextInt(9000)) + "." + shard + ".akamaiedge.net");
    }

    private static List<String> googlevideo(Random r) {
        String sn = random(new Random(r.nextInt(6)), 8, "0123456789abcdefghklnrstuyz");
        return List.of("rr" + (1 + r.nextInt(8)) + "---sn-" + sn + ".googlevideo.com");
    }

    private static List<String> fbcdn(Random r) {
        String airport = pick(r, AIRPORTS);
        String kind = r.nextInt(4) == 0 ? "video" : "scontent";
        return List.of(kind + "-" + airport + (1 + r.nextInt(9)) + "-" + (1 + r.nextInt(2)) + ".xx.fbcdn.net");
    }

    private static List<String> nflxvideo(Random r) {
        String v = r.nextBoolean() ? "ipv4" : "ipv6";
        return List.of(String.format(
                "%s-c%03d-%s%03d-ix.1.oca.nflxvideo.net", v, 1 + r.nextInt(200), pick(r, AIRPORTS), 1 + r.nextInt(9)));
    }

    private static List<String> adtech(Random r) {
        return switch (r.nextInt(4)) {
            case 0, 1 -> List.of(hex(r, 16) + ".safeframe.googlesyndication.com");
            case 2 -> List.of("pagead2.googlesyndication.com", "securepubads.g.doubleclick.net");
            default -> List.of("ib.adnxs.com", "tpc.googlesyndication.com");
        };
    }

    private static List<String> sophos(Random r) {
        // a scan looks up several files at once
        List<String> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(6); i > 0; i--) {
            String h = hex(r, 20);
            out.add("A " + h.substring(0, 20) + "." + h.substring(20) + ".p.05.sophosxl.net");
        }
        return out;
    }

    private static List<String> eset(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            out.add("A " + random(r, 32, "abcdefghijklmnopqrstuvwxyz234567") + ".a.e5.sk");
        }
        return out;
    }

    private static List<String> mcafee(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            out.add("A 0.0.0.0.1.0.0.4e." + hex(r, 16) + ".avqs.mcafee.com");
        }
        return out;
    }

    private static String reversedV4(Random r) {
        return (1 + r.nextInt(254)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(223));
    }

    private static List<String> dnsblIp(Random r) {
        String rev = reversedV4(r);
        return List.of(
                "A " + rev + ".zen.spamhaus.org",
                "A " + rev + ".bl.spamcop.net",
                "A " + rev + ".b.barracudacentral.org");
    }

    private static List<String> dnsblDomain(Random r) {
        String domain = r.nextBoolean()
                ? pick(r, List.of("gmail.com", "gmx.de", "web.de", "outlook.com", "github.com", "paypal.com"))
                : random(r, 4 + r.nextInt(8), LOWER) + "-" + random(r, 3 + r.nextInt(5), ALNUM) + "."
                        + pick(r, List.of("info", "top", "xyz", "shop", "com"));
        return List.of("A " + domain + ".dbl.spamhaus.org", "A " + domain + ".multi.uribl.com");
    }

    private static List<String> reverseV4(Random r) {
        String name =
                r.nextInt(3) == 0 ? (1 + r.nextInt(254)) + ".1.168.192.in-addr.arpa" : reversedV4(r) + ".in-addr.arpa";
        return List.of("PTR " + name);
    }

    private static List<String> reverseV6(Random r) {
        String nibbles = hex(r, 16);
        StringBuilder b = new StringBuilder();
        for (int i = nibbles.length() - 1; i >= 0; i--) {
            b.append(nibbles.charAt(i)).append('.');
        }
        return List.of("PTR " + b + "ip6.arpa");
    }

    private static List<String> manyShortGoogle(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> List.of("clients" + (1 + r.nextInt(6)) + ".google.com");
            case 1 -> List.of("lh" + (3 + r.nextInt(4)) + ".googleusercontent.com");
            case 2 -> List.of("a.tile.openstreetmap.org", "b.tile.openstreetmap.org", "c.tile.openstreetmap.org");
            default -> List.of(r.nextInt(4) + ".debian.pool.ntp.org");
        };
    }

    private static List<String> manyShortApple(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> List.of(String.format("p%02d-caldav.icloud.com", 1 + r.nextInt(180)));
            case 1 -> List.of(String.format("p%02d-contacts.icloud.com", 1 + r.nextInt(180)));
            case 2 -> List.of((1 + r.nextInt(60)) + "-courier.push.apple.com");
            case 3 -> List.of("gateway.icloud.com", "gsp-ssl.ls.apple.com", "gs-loc.apple.com");
            case 4 -> List.of("mesu.apple.com", "init.itunes.apple.com", "configuration.apple.com");
            default -> List.of("captive.apple.com", "time.apple.com", "weather-data.apple.com");
        };
    }

    private static List<String> manyShortNtp(Random r) {
        return List.of(r.nextInt(4) + ".pool.ntp.org", "deb.debian.org", "security.debian.org");
    }

    private static List<String> dnsSd(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> List.of("PTR lb._dns-sd._udp.lan", "PTR b._dns-sd._udp.lan", "PTR db._dns-sd._udp.lan");
            case 1 ->
                List.of("PTR b._dns-sd._udp.0.1.168.192.in-addr.arpa", "PTR lb._dns-sd._udp.0.1.168.192.in-addr.arpa");
            case 2 -> List.of("PTR _ipp._tcp.lan", "PTR _googlecast._tcp.lan");
            case 3 -> List.of("SRV _ldap._tcp.dc._msdcs.lan", "SRV _kerberos._udp.lan");
            default -> List.of("SRV _imaps._tcp.gmail.com", "SRV _autodiscover._tcp.outlook.com");
        };
    }

    private static List<String> windows(Random r) {
        return List.of(pick(
                r,
                List.of(
                        "wpad.lan",
                        "www.msftconnecttest.com",
                        "dns.msftncsi.com",
                        "ctldl.windowsupdate.com",
                        "settings-win.data.microsoft.com",
                        "v10.events.data.microsoft.com",
                        "login.live.com",
                        "time.windows.com",
                        "isatap.lan",
                        "desktop-4f7k2q1.lan",
                        "array" + String.format("%03d", r.nextInt(999)) + "-prod.do.dsp.mp.microsoft.com")));
    }

    private static List<String> chromecast(Random r) {
        return List.of(pick(
                r,
                List.of(
                        "connectivitycheck.gstatic.com",
                        "clients3.google.com",
                        "tools.google.com",
                        "www.googleapis.com",
                        "play.googleapis.com",
                        "time.google.com",
                        "android.clients.google.com")));
    }

    private static List<String> smartTv(Random r) {
        return List.of(pick(
                r,
                List.of(
                        "api-global.netflix.com",
                        "ichnaea.netflix.com",
                        "log-config.samsungacr.com",
                        "time.samsungcloudsolution.com",
                        "ngfts.lge.com",
                        "us.info.lgsmartad.com",
                        "scribe.logs.roku.com")));
    }

    /** Three random single labels of 7-15 letters, A queries. */
    private static List<String> chromeProbe(Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add("A " + random(r, 7 + r.nextInt(9), LOWER));
        }
        return out;
    }

    private static List<String> typo(Random r) {
        if (r.nextBoolean()) {
            return List.of(pick(
                    r,
                    List.of(
                            "gogle.com",
                            "wikipeida.org",
                            "youtbe.com",
                            "facebok.com",
                            "printer.lan",
                            "nas",
                            "router")));
        }
        // a popular name with one letter dropped
        String n = pick(r, POPULAR);
        int at = Math.min(n.length() - 2, n.indexOf('.') + 1 + r.nextInt(3));
        return List.of(n.substring(0, at) + n.substring(at + 1));
    }
}
