package io.routerlog.rules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What the rules do to every source's events.
 *
 * @param dnsttDomains  DNSTT tunnel domains, lower case, without a final dot
 * @param ignoreDomains names and patterns never counted
 * @param anonymize     how client addresses are stored
 * @param anonymizeKey  the key of {@link ClientAnonymizer.Mode#HASH}, when one is given
 */
public record RulesSettings(
        List<String> dnsttDomains,
        List<String> ignoreDomains,
        ClientAnonymizer.Mode anonymize,
        Optional<String> anonymizeKey) {

    public RulesSettings {
        dnsttDomains = List.copyOf(dnsttDomains);
        ignoreDomains = List.copyOf(ignoreDomains);
    }

    /** The anonymizer these settings ask for. */
    public ClientAnonymizer anonymizer() {
        return new ClientAnonymizer(
                anonymize,
                anonymizeKey.map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null));
    }

    /** Without the key. */
    @Override
    public String toString() {
        return "RulesSettings[dnsttDomains=" + dnsttDomains + ", ignoreDomains=" + ignoreDomains + ", anonymize="
                + anonymize + "]";
    }
}
