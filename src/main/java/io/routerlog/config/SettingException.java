package io.routerlog.config;

import org.jspecify.annotations.Nullable;

/**
 * A setting that cannot work as given, found while checking the options or only when a component starts (an
 * address that is not on this host, a port that needs a privilege routerlog does not have, a file that does not
 * parse). It names the option; {@code routerlog} reports it on one line and exits with code 2, which tells a
 * service manager that restarting will not help.
 */
public class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String option;

    /** @param problem what is wrong with the value, without the option's name ("10.0.0.9 is not an address ...") */
    public SettingException(String option, String problem) {
        super(option + ": " + problem);
        this.option = option;
    }

    public SettingException(String option, String problem, Throwable cause) {
        this(option, problem);
        initCause(cause);
    }

    /**
     * A SettingException whose message is {@code message} as it stands; it starts with the option's name
     * ("--max-pairs must be at least 271: 10").
     */
    public static SettingException saying(String option, String message) {
        return new SettingException(option, message, true);
    }

    @SuppressWarnings("UnusedVariable") // whole only tells this constructor from the public one
    private SettingException(String option, String message, boolean whole) {
        super(message);
        this.option = option;
    }

    /** The long option responsible, such as {@code --cluster-interface}. */
    public String option() {
        return option;
    }

    /** The first SettingException among {@code e} and its causes, or null. */
    public static @Nullable SettingException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SettingException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
