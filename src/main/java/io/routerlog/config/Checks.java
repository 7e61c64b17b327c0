package io.routerlog.config;

import java.util.regex.Pattern;

/** Checks that options of several components share. */
public final class Checks {
    private static final Pattern DNS_NAME =
            Pattern.compile("(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.?");

    private Checks() {}

    /** True when {@code name} is written like a DNS name (labels of letters, digits, - and _; a final dot). */
    public static boolean isDnsName(String name) {
        return DNS_NAME.matcher(name).matches();
    }

    /** Throws a SettingException "OPTION must be between MIN and MAX: VALUE" unless {@code min <= value <= max}. */
    public static void between(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw SettingException.saying(option, option + " must be between " + min + " and " + max + ": " + value);
        }
    }
}
