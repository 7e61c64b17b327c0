package io.routerlog.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings from outside the command line, looked up for every option that the command line leaves out:
 * first the environment ({@code --max-pairs} is {@code ROUTERLOG_MAX_PAIRS}), then the config file.
 *
 * <p>The config file has one {@code name = value} per line, with the option's long name without dashes;
 * {@code #} starts a comment. A repeatable option may be given on several lines or comma-separated. Unknown names
 * are an error, so that a typo does not go unnoticed.
 */
public final class ConfigSources implements CommandLine.IDefaultValueProvider {
    static final String ENV_PREFIX = "ROUTERLOG_";

    private final Map<String, String> env;
    private final Map<String, List<String>> file;
    private final Path filePath;

    private ConfigSources(Map<String, String> env, Map<String, List<String>> file, Path filePath) {
        this.env = env;
        this.file = file;
        this.filePath = filePath;
    }

    /** @param filePath where {@code file} was read from, or null */
    public static ConfigSources of(Map<String, String> env, Map<String, List<String>> file, Path filePath) {
        return new ConfigSources(env, file, filePath);
    }

    /**
     * Where the value of an option came from when it was not on the command line ("environment variable X",
     * "FILE"), or null.
     */
    public String sourceOf(String longOption) {
        if (env.containsKey(envName(longOption))) {
            return "environment variable " + envName(longOption);
        }
        if (file.containsKey(longOption.replaceFirst("^--", ""))) {
            return filePath == null ? "config file" : filePath.toString();
        }
        return null;
    }

    /** The environment variable that sets an option. */
    public static String envName(String longOption) {
        return ENV_PREFIX + longOption.replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String name = option.longestName();
        String fromEnv = env.get(envName(name));
        if (fromEnv != null) {
            return fromEnv;
        }
        List<String> fromFile = file.get(name.replaceFirst("^--", ""));
        return fromFile == null ? null : String.join(",", fromFile);
    }

    /**
     * Reads a config file.
     *
     * @param known the names a file may set
     * @throws IllegalArgumentException with a message naming the file and line of a bad entry
     */
    public static Map<String, List<String>> readFile(Path path, Set<String> known) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": "
                    + FileReasons.reason(path, e));
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = path + " line " + (i + 1);
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": expected 'name = value', got '" + line + "'");
            }
            String name = line.substring(0, eq).strip().replaceFirst("^--", "");
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown setting '" + name + "'");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return values;
    }
}
