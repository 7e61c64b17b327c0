package io.routerlog.tools;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Realistic resolver traffic for the load generator: many clients, domains drawn from a Zipf distribution, and for
 * each query the lines dnsmasq writes after it (forwarded and reply, cached, or a block-list answer). Clients and
 * domains are replaced at a steady rate ({@code churn}), as on a real network over hours.
 */
final class TrafficModel {
    private static final String[] TYPES = {"A", "A", "A", "AAAA", "AAAA", "HTTPS", "PTR", "TXT", "MX", "SRV"};

    private final SplittableRandom random;
    private final String[] clients;
    private final String[] domains;
    private final double[] cdf;
    private int nextClient;
    private int nextDomain;
    private long serial;
    private final String domainPrefix;

    TrafficModel(int clients, int domains, double zipf, long seed) {
        this(clients, domains, zipf, seed, "");
    }

    /** @param domainPrefix put in front of every domain name (the load generator's generation label) */
    TrafficModel(int clients, int domains, double zipf, long seed, String domainPrefix) {
        this.domainPrefix = domainPrefix;
        this.random = new SplittableRandom(seed);
        this.clients = new String[clients];
        this.domains = new String[domains];
        for (int i = 0; i < clients; i++) {
            this.clients[i] = client(nextClient++);
        }
        for (int i = 0; i < domains; i++) {
            this.domains[i] = domain(nextDomain++);
        }
        this.cdf = new double[domains];
        double sum = 0;
        for (int i = 0; i < domains; i++) {
            sum += 1 / Math.pow(i + 1, zipf);
            cdf[i] = sum;
        }
        for (int i = 0; i < domains; i++) {
            cdf[i] /= sum;
        }
    }

    private static String client(int n) {
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    private String domain(int n) {
        return domainPrefix + "site" + n + (n % 3 == 0 ? ".example.com" : n % 3 == 1 ? ".example.net" : ".example.org");
    }

    /** Replaces {@code n} random clients and {@code n} random domains with ones not seen before. */
    void churn(int n) {
        for (int i = 0; i < n; i++) {
            clients[random.nextInt(clients.length)] = client(nextClient++);
            domains[random.nextInt(domains.length)] = domain(nextDomain++);
        }
    }

    /** The message parts (after the syslog header) for one query and what dnsmasq logs after it. */
    String[] nextQuery() {
        String client = clients[random.nextInt(clients.length)];
        int d = Arrays.binarySearch(cdf, random.nextDouble());
        String domain = domains[Math.min(domains.length - 1, d < 0 ? -d - 1 : d)];
        String type = TYPES[random.nextInt(TYPES.length)];
        long s = ++serial;
        String prefix = s + " " + client + "/" + (1024 + random.nextInt(60000)) + " ";
        String query = prefix + "query[" + type + "] " + domain + " from " + client;
        int outcome = random.nextInt(10);
        if (outcome < 6) {
            return new String[] {
                query,
                prefix + "forwarded " + domain + " to 192.0.2.1#53",
                prefix + "reply " + domain + " is 198.51.100." + random.nextInt(256)
            };
        }
        if (outcome < 9) {
            return new String[] {query, prefix + "cached " + domain + " is 198.51.100." + random.nextInt(256)};
        }
        return new String[] {query, prefix + "config " + domain + " is 0.0.0.0"};
    }
}
