package io.routerlog.detect;

import io.routerlog.config.Checks;
import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import io.routerlog.config.Spellings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options of tunnel detection, as picocli fills them. The {@code order} of each option is its place in {@code
 * routerlog --help}, which lists the options of all components in one sequence.
 */
public final class DetectOptions {
    @Option(
            names = "--suspect-window",
            paramLabel = "DURATION",
            defaultValue = "1h",
            order = 32,
            converter = Converters.DurationValue.class,
            description = "How far back a domain's queries count towards its tunnel score. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(
            names = "--suspect-threshold",
            paramLabel = "SCORE",
            defaultValue = "7",
            order = 32,
            description = "The tunnel score from which a domain is a suspect (see docs/DETECTION.md). "
                    + "Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(
            names = "--suspect-allow",
            paramLabel = "DOMAIN",
            split = ",",
            order = 32,
            description = "A domain never to flag as a tunnel, with the names under it (repeatable); block lists "
                    + "and anti-virus lookups are allowed already.")
    List<String> allow = new ArrayList<>();

    /**
     * Checks the values and builds the settings.
     *
     * @param text how the values were written, for the messages
     * @throws SettingException naming the first option whose value cannot work
     */
    public DetectSettings settings(Spellings text) {
        if (window.toSeconds() < 60 || window.toDays() > 7) {
            throw SettingException.saying(
                    "--suspect-window", "--suspect-window must be between 1m and 7d: " + text.of("--suspect-window"));
        }
        if (!(threshold > 0) || threshold > 100) {
            throw SettingException.saying(
                    "--suspect-threshold",
                    "--suspect-threshold must be above 0 and at most 100: " + text.of("--suspect-threshold"));
        }
        List<String> domains = new ArrayList<>();
        for (String d : allow) {
            String domain = d.strip().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (domain.isEmpty() || domain.length() > 253 || !Checks.isDnsName(domain)) {
                throw new SettingException("--suspect-allow", "'" + d + "' is not a domain name");
            }
            domains.add(domain);
        }
        return new DetectSettings(window, threshold, domains);
    }
}
