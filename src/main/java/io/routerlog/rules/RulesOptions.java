package io.routerlog.rules;

import io.routerlog.config.Checks;
import io.routerlog.config.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of the rules every source's events go through, as picocli fills them. The {@code order} of each
 * option is its place in {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class RulesOptions {
    private static final int MAX_DNSTT_DOMAINS = 64;

    @Option(
            names = "--dnstt-domain",
            paramLabel = "DOMAIN",
            split = ",",
            order = 28,
            description = "A DNSTT tunnel domain (repeatable): names under it count as the domain itself.")
    List<String> dnsttDomains = new ArrayList<>();

    @Option(
            names = "--ignore-domain",
            paramLabel = "PATTERN",
            split = ",",
            order = 29,
            description = "Never count or store queries for these names (repeatable): a name matches itself and "
                    + "all names under it; * and ? make a pattern for the whole name (*.cdn.*, tracker?.net).")
    List<String> ignoreDomains = new ArrayList<>();

    @Option(
            names = "--anonymize-clients",
            paramLabel = "MODE",
            defaultValue = "none",
            order = 30,
            description = "Store client addresses as: none (as they are), truncate (IPv4 /24, IPv6 /48) or hash "
                    + "(keyed with --anonymize-key). With truncate or hash no DHCP identities are kept. "
                    + "Default: ${DEFAULT-VALUE}.")
    String anonymizeClients;

    @Option(
            names = "--anonymize-key",
            paramLabel = "SECRET",
            order = 31,
            description =
                    "Secret for --anonymize-clients hash (at least 16 characters; better in ROUTERLOG_ANONYMIZE_KEY "
                            + "or the config file than on the command line).")
    String anonymizeKey;

    /**
     * Checks the values and builds the settings.
     *
     * @throws SettingException naming the first option whose value cannot work
     */
    public RulesSettings settings() {
        List<String> domains = new ArrayList<>();
        for (String d : dnsttDomains) {
            String domain = d.strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (domain.isEmpty() || domain.length() > 253 || !Checks.isDnsName(domain)) {
                throw new SettingException("--dnstt-domain", "'" + d + "' is not a domain name");
            }
            if (!domains.contains(domain)) {
                domains.add(domain);
            }
        }
        if (domains.size() > MAX_DNSTT_DOMAINS) {
            throw new SettingException("--dnstt-domain", "at most " + MAX_DNSTT_DOMAINS + " domains");
        }
        ClientAnonymizer.Mode anonymize;
        try {
            anonymize = ClientAnonymizer.Mode.valueOf(anonymizeClients.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SettingException.saying(
                    "--anonymize-clients",
                    "--anonymize-clients must be none, truncate or " + "hash: " + anonymizeClients);
        }
        if (anonymize == ClientAnonymizer.Mode.HASH && (anonymizeKey == null || anonymizeKey.length() < 16)) {
            throw SettingException.saying(
                    "--anonymize-clients",
                    "--anonymize-clients hash needs --anonymize-key " + "of at least 16 characters");
        }
        for (String d : ignoreDomains) {
            if (d.isBlank() || d.strip().contains(" ")) {
                throw new SettingException("--ignore-domain", "'" + d + "' is not a name or pattern");
            }
        }
        return new RulesSettings(domains, ignoreDomains, anonymize, Optional.ofNullable(anonymizeKey));
    }
}
