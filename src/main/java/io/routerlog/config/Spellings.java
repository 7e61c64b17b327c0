package io.routerlog.config;

import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The values as the user wrote them (on the command line, in the environment, in the config file, or the
 * default), for messages that repeat a value: {@code --max-frame must be between 64 bytes and 16MiB: 10k} shows
 * {@code 10k}, not the byte count the option holds.
 */
public final class Spellings {
    private final CommandSpec spec;

    private Spellings(CommandSpec spec) {
        this.spec = spec;
    }

    /** The spellings of the options of {@code spec}, once picocli has parsed them. */
    public static Spellings of(CommandSpec spec) {
        return new Spellings(spec);
    }

    /** How the value of {@code option} was written, or null when it has none. */
    public @Nullable String of(String option) {
        OptionSpec o = spec.findOption(option);
        if (o == null) {
            return null;
        }
        List<String> given = o.originalStringValues();
        if (!given.isEmpty()) {
            return given.get(given.size() - 1);
        }
        if (spec.defaultValueProvider() != null) {
            try {
                String provided = spec.defaultValueProvider().defaultValue(o);
                if (provided != null) {
                    return provided;
                }
            } catch (Exception e) {
                // the option's own default, then
            }
        }
        return o.defaultValue();
    }
}
