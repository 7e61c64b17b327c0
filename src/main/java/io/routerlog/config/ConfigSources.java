package io.routerlog.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
    private final @Nullable Path filePath;

    private ConfigSources(Map<String, String> env, Map<String, List<String>> file, @Nullable Path filePath) {
        this.env = env;
        this.file = file;
        this.filePath = filePath;
    }

    /**
     * The settings of the environment and of a config file.
     *
     * @param filePath where {@code file} was read from, or null
     */
    public static ConfigSources of(Map<String, String> env, Map<String, List<String>> file, @Nullable Path filePath) {
        return new ConfigSources(env, file, filePath);
    }

    /**
     * Where the value of an option came from when it was not on the command line ("environment variable X",
     * "FILE"), or null.
     */
    public @Nullable String sourceOf(String longOption) {
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
        return ENV_PREFIX
                + longOption.replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public @Nullable String defaultValue(ArgSpec arg) {
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

    /** Largest config file read: a settings file is a few hundred bytes, anything this large is not one. */
    static final int MAX_FILE_BYTES = 1 << 20;

    /**
     * Reads a config file: UTF-8 text (a byte order mark at the start is skipped), at most {@value #MAX_FILE_BYTES}
     * bytes, each non-repeatable setting at most once.
     *
     * @param known      the names a file may set
     * @param repeatable those of them that may be given on several lines
     * @throws IllegalArgumentException with a one-line message naming the file, and the line of a bad entry
     */
    public static Map<String, List<String>> readFile(Path path, Set<String> known, Set<String> repeatable) {
        List<String> lines = lines(path);
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = path + " line " + (i + 1);
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": expected 'name = value', got '" + printable(line) + "'");
            }
            String name = line.substring(0, eq).strip().replaceFirst("^--", "");
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2
                    && ((value.startsWith("\"") && value.endsWith("\""))
                            || (value.startsWith("'") && value.endsWith("'")))) {
                value = value.substring(1, value.length() - 1);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown setting '" + printable(name) + "'");
            }
            Integer earlier = firstLine.putIfAbsent(name, i + 1);
            if (earlier != null && !repeatable.contains(name)) {
                throw new IllegalArgumentException(
                        where + ": " + name + " is already set on line " + earlier + " (it takes one value)");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /**
     * The lines of a config file, refusing what is not one: more than {@value #MAX_FILE_BYTES} bytes (a device
     * such as /dev/zero included: at most that much is read), NUL bytes, or bytes that are not UTF-8.
     */
    private static List<String> lines(Path path) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + FileReasons.reason(path, e));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("config file " + path + " is larger than 1 MiB: not a settings file");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            throw new IllegalArgumentException(
                    "config file " + path + " is not text (not UTF-8, line " + lineOf(bytes, in.position()) + ")");
        }
        String text = out.flip().toString();
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException("config file " + path + " is not text (a NUL byte on line "
                    + (text.substring(0, nul).chars().filter(c -> c == '\n').count() + 1) + ")");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark, as some Windows editors write
        }
        return text.lines().toList();
    }

    private static long lineOf(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Text from a file as it may be shown on one line of a message: control characters as \\uXXXX. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c) || c == 0xFEFF || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04X", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }
}
