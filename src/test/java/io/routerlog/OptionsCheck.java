package io.routerlog;

import io.routerlog.config.ConfigSources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * routerlog's own option parser, for tests outside this package (such as the deployment files' tests): what a
 * command line plus {@code ROUTERLOG_*} environment variables give, checked exactly as at start.
 */
public final class OptionsCheck {
    private OptionsCheck() {}

    /**
     * The settings {@code args} and {@code env} give, or the reason they are wrong. Unlike routerlog itself, which
     * only warns about a {@code ROUTERLOG_*} variable that sets no option, this rejects one (nothing would read it).
     *
     * @throws CommandLine.ParameterException for an unknown flag or a bad value, as routerlog would exit with code 2
     * @throws IllegalArgumentException       for a {@code ROUTERLOG_*} variable that is no option's
     */
    public static Settings parse(List<String> args, Map<String, String> env) {
        Set<String> known = environmentNames().keySet();
        for (String name : env.keySet()) {
            if (name.startsWith("ROUTERLOG_") && !known.contains(name)) {
                throw new IllegalArgumentException("routerlog has no option for the environment variable " + name);
            }
        }
        return Main.parse(args.toArray(new String[0]), env);
    }

    /** Every option's long name ({@code --max-pairs}), without {@code --help} and {@code --version}. */
    public static Set<String> optionNames() {
        return options().stream().map(OptionSpec::longestName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code ROUTERLOG_*} variable name -> the long option it sets. */
    public static Map<String, String> environmentNames() {
        Map<String, String> names = new TreeMap<>();
        for (OptionSpec o : options()) {
            names.put(ConfigSources.envName(o.longestName()), o.longestName());
        }
        return names;
    }

    /** The options whose value is a file (routerlog opens it while checking the settings). */
    public static Set<String> fileOptions() {
        return options().stream()
                .filter(o -> o.type() == Path.class)
                .map(OptionSpec::longestName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Long option name -> its built-in default as written in the option ({@code 24h}), for those that have one. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new TreeMap<>();
        for (OptionSpec o : options()) {
            if (o.defaultValue() != null) {
                defaults.put(o.longestName(), o.defaultValue());
            }
        }
        return defaults;
    }

    private static List<OptionSpec> options() {
        return new CommandLine(new Main())
                .getCommandSpec().options().stream()
                        .filter(o -> !o.usageHelp() && !o.versionHelp())
                        .toList();
    }
}
