package io.routerlog.export;

import io.routerlog.store.ClientKey;
import io.routerlog.store.DhcpIdentity;
import io.routerlog.store.IdentityMap;
import io.routerlog.store.PairMap;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The query counts joined with DHCP identities as plain tables, for consumers that are not Prometheus. Both cover
 * the whole cluster, whichever node answers.
 * <ul>
 *   <li>{@code /clients.csv}: the layout of openwrt_dnsmasq_exporter, {@code ip,domain,count,mac,hostname,uid,expiry}
 *       and then {@code router}, with one line per (router, client, domain), counts summed over query types; RFC
 *       4180 quoting; {@code uid} is the DHCP client id and {@code expiry} the lease end in Unix seconds, empty when
 *       unknown.</li>
 *   <li>{@code /clients.tsv}: compact input for the router's Lua collector,
 *       {@code client TAB domain TAB qtype TAB count TAB mac TAB hostname TAB router} per pair, with {@code %}, tab,
 *       CR and LF in a field written as {@code %25}, {@code %09}, {@code %0D}, {@code %0A}.</li>
 * </ul>
 * Names and hostnames come from the network, so a cell could start like a spreadsheet formula
 * ({@code =cmd|' /c calc'!A0}): in the CSV such a cell (starting with {@code =}, {@code +}, {@code -}, {@code @},
 * tab or CR) is prefixed with {@code '} and quoted, as spreadsheet-safe exporters do; in the TSV its first character
 * is percent-escaped ({@code %3D}, ...), which the Lua collector decodes like the other escapes.
 *
 * <p>Both take a router's name to hold only that router's rows ({@code ?router=NAME}), so that the collector on
 * one of several routers re-exports its own clients.
 */
public final class ClientTables {
    private final PairMap pairs;
    private final IdentityMap identities;

    public ClientTables(PairMap pairs, IdentityMap identities) {
        this.pairs = pairs;
        this.identities = identities;
    }

    private Map<ClientKey, DhcpIdentity> identities() {
        Map<ClientKey, DhcpIdentity> m = new HashMap<>();
        identities.forEach(m::put);
        return m;
    }

    /** The CSV table; only {@code router}'s rows unless it is null. */
    public byte[] csv(@Nullable String router) {
        Map<ClientKey, DhcpIdentity> ids = identities();
        Map<ClientKey, Map<String, Long>> byClient =
                new TreeMap<>(Comparator.comparing(ClientKey::router).thenComparing(ClientKey::client));
        pairs.forEachAll((k, n) -> {
            if (router == null || router.equals(k.router())) {
                byClient.computeIfAbsent(new ClientKey(k.router(), k.client()), c -> new TreeMap<>())
                        .merge(k.domain(), n, Long::sum);
            }
        });
        StringBuilder out = new StringBuilder();
        byClient.forEach((client, domains) -> {
            DhcpIdentity id = ids.get(client);
            domains.forEach((domain, count) -> {
                out.append(csvField(client.client()))
                        .append(',')
                        .append(csvField(domain))
                        .append(',')
                        .append(count)
                        .append(',')
                        .append(csvField(id == null ? "" : id.mac()))
                        .append(',')
                        .append(csvField(id == null ? "" : id.hostname()))
                        .append(',')
                        .append(csvField(id == null ? "" : id.clientId()))
                        .append(',')
                        .append(
                                id == null || id.expiresAtMillis() == 0
                                        ? ""
                                        : Long.toString(id.expiresAtMillis() / 1000))
                        .append(',')
                        .append(csvField(client.router()))
                        .append('\n');
            });
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The TSV table; only {@code router}'s rows unless it is null. */
    public byte[] tsv(@Nullable String router) {
        Map<ClientKey, DhcpIdentity> ids = identities();
        StringBuilder out = new StringBuilder();
        pairs.forEachAll((k, n) -> {
            if (router != null && !router.equals(k.router())) {
                return;
            }
            DhcpIdentity id = ids.get(new ClientKey(k.router(), k.client()));
            out.append(tsvField(k.client()))
                    .append('\t')
                    .append(tsvField(k.domain()))
                    .append('\t')
                    .append(tsvField(k.qtype()))
                    .append('\t')
                    .append(n)
                    .append('\t')
                    .append(tsvField(id == null ? "" : id.mac()))
                    .append('\t')
                    .append(tsvField(id == null ? "" : id.hostname()))
                    .append('\t')
                    .append(tsvField(k.router()))
                    .append('\n');
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String csvField(String s) {
        boolean formula = startsLikeAFormula(s);
        if (!formula && s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return (formula ? "\"'" : "\"") + s.replace("\"", "\"\"") + '"';
    }

    static String tsvField(String s) {
        boolean formula = startsLikeAFormula(s);
        if (!formula && s.indexOf('%') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        String escaped =
                s.replace("%", "%25").replace("\t", "%09").replace("\r", "%0D").replace("\n", "%0A");
        return formula && escaped.charAt(0) != '%'
                ? String.format("%%%02X", (int) escaped.charAt(0)) + escaped.substring(1)
                : escaped;
    }

    /** True for a cell a spreadsheet would take for a formula: it starts with =, +, -, @, tab or CR. */
    private static boolean startsLikeAFormula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
