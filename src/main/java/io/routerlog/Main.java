package io.routerlog;

import io.routerlog.cli.ClientOptions;
import io.routerlog.cli.Queries;
import io.routerlog.cli.Suspects;
import io.routerlog.cli.Top;
import io.routerlog.config.ConfigSources;
import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import io.routerlog.tools.LoadGen;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code routerlog}: runs the appliance. Exit codes: 0 after a clean stop, 2 for a bad setting (a value that does
 * not parse, or one that only fails at start, such as an address that is not on this host: a
 * {@link SettingException}), 1 when it cannot start for another reason (a port in use, say). Either way the reason
 * is one line on standard error.
 */
@Command(
        name = "routerlog",
        versionProvider = VersionInfo.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        subcommands = {HashPassword.class, Ingest.class, LoadGen.class, Top.class, Queries.class, Suspects.class},
        customSynopsis = {"routerlog [OPTION]...", "       routerlog COMMAND [OPTION]... (see Commands below)"},
        descriptionHeading = "%n",
        commandListHeading = "%nCommands:%n",
        // one element per paragraph: picocli wraps each to the width
        description = {
            "Receives syslog from OpenWrt routers (UDP and TCP), counts which client asked dnsmasq for which "
                    + "domain, keeps the counts and a log of recent queries in an embedded Hazelcast store, serves "
                    + "the counts to Prometheus on /metrics and answers questions through a JSON API on /api/v1 "
                    + "(which the top, queries and suspects commands ask).",
            "",
            "Every option can also be set as an environment variable (--max-pairs as ROUTERLOG_MAX_PAIRS) or in "
                    + "the --config file (max-pairs = 20000).",
            ""
        })
public final class Main implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @Mixin
    HelpOptions help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings = options.toSettings(spec);
        Configurator.setLevel("io.routerlog", Level.toLevel(settings.logLevel(), Level.INFO));
        RouterLog node = RouterLog.create(settings);
        // the hook is in place before the node says it is ready, so a SIGTERM right after still stops it cleanly
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            LogManager.shutdown();
                        },
                        "routerlog-shutdown"));
        RouterLog.start(node);
        node.awaitStop();
        return 0;
    }

    public static void main(String[] args) {
        // route java.util.logging (the JDK's HTTP server) to log4j2, before anything uses it
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        System.exit(run(args, System.getenv()));
    }

    /** Parses {@code args} (with settings from {@code env} and the config file) and runs; returns the exit code. */
    static int run(String[] args, Map<String, String> env) {
        return run(
                args,
                env,
                new PrintWriter(System.out, true, Charset.defaultCharset()),
                new PrintWriter(System.err, true, Charset.defaultCharset()));
    }

    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl;
        try {
            cl = commandLine(args, env, out, err);
        } catch (IllegalArgumentException e) {
            err.println("routerlog: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        return cl.execute(args);
    }

    /** The settings {@code args}, {@code env} and the config file give, without starting anything. */
    static Settings parse(String[] args, Map<String, String> env) {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        CommandLine cl = commandLine(args, env, sink, sink);
        cl.parseArgs(args);
        Main main = cl.getCommand();
        return main.options.toSettings(main.spec);
    }

    private static CommandLine commandLine(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main(), new Factory(env));
        // a flag given twice takes the last value, so wrappers can put defaults before the user's own flags
        cl.setOverwrittenOptionsAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setHelpFactory(FlagsWithoutValues::new);
        String configPath = configPath(args, env);
        ConfigSources sources = ConfigSources.of(
                env, readConfigFile(configPath, cl.getCommandSpec()), configPath == null ? null : Path.of(configPath));
        cl.setDefaultValueProvider(sources);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("routerlog: " + oneLine(message(ex)) + valueSource(optionOf(ex), args, sources)
                    + " (see routerlog --help)");
            return CommandLine.ExitCode.USAGE;
        });
        // the one place where a failed start becomes an exit code: 2 for a setting that cannot work (restarting
        // will not help), 1 for anything else (a port in use, say)
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            LogManager.getLogger(Main.class).debug("Start-up failed", ex);
            SettingException bad = SettingException.in(ex);
            if (bad != null) {
                err.println("routerlog: " + oneLine(bad) + valueSource(bad.option(), args, sources));
                return CommandLine.ExitCode.USAGE;
            }
            err.println("routerlog: cannot start: " + oneLine(ex));
            return CommandLine.ExitCode.SOFTWARE;
        });
        warnUnknownEnv(env, cl.getCommandSpec(), err);
        warnSecretInArguments(args, err);
        return cl;
    }

    /** Makes the client commands' options with {@code env}, where they find the password and the terminal width. */
    private static final class Factory implements CommandLine.IFactory {
        private final Map<String, String> env;

        Factory(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ClientOptions.class) {
                return type.cast(new ClientOptions(env));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /**
     * Usage help that shows boolean flags as plain {@code --http-tls}. They take an optional value (arity 0..1, so
     * that {@code --http-tls=false} and {@code ROUTERLOG_HTTP_TLS=false} work and a flag given with a default of
     * true still means true), which picocli would render as {@code --http-tls[=<httpTls>]}.
     */
    static final class FlagsWithoutValues extends CommandLine.Help {
        FlagsWithoutValues(CommandSpec spec, CommandLine.Help.ColorScheme scheme) {
            super(spec, scheme);
        }

        @Override
        public CommandLine.Help.IParamLabelRenderer parameterLabelRenderer() {
            CommandLine.Help.IParamLabelRenderer labels = super.parameterLabelRenderer();
            return new CommandLine.Help.IParamLabelRenderer() {
                @Override
                public CommandLine.Help.Ansi.Text renderParameterLabel(
                        CommandLine.Model.ArgSpec arg,
                        CommandLine.Help.Ansi ansi,
                        List<CommandLine.Help.Ansi.IStyle> styles) {
                    if (arg.isOption() && (arg.type() == boolean.class || arg.type() == Boolean.class)) {
                        return ansi.new Text("");
                    }
                    return labels.renderParameterLabel(arg, ansi, styles);
                }

                @Override
                public String separator() {
                    return labels.separator();
                }
            };
        }
    }

    private static @Nullable String configPath(String[] args, Map<String, String> env) {
        String path = env.get(ConfigSources.envName("--config"));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        return path;
    }

    private static Map<String, List<String>> readConfigFile(@Nullable String path, CommandSpec spec) {
        if (path == null) {
            return Map.of();
        }
        List<OptionSpec> settable = spec.options().stream()
                .filter(o ->
                        !o.usageHelp() && !o.versionHelp() && !o.longestName().equals("--config"))
                .toList();
        Set<String> known =
                settable.stream().map(o -> o.longestName().substring(2)).collect(Collectors.toSet());
        Set<String> repeatable = settable.stream()
                .filter(OptionSpec::isMultiValue)
                .map(o -> o.longestName().substring(2))
                .collect(Collectors.toSet());
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--config: '" + path + "' is not a file name");
        }
        return ConfigSources.readFile(file, known, repeatable);
    }

    /**
     * What is wrong: a value one of routerlog's converters refused reads like the checks of the option groups
     * ("--retention: '5 fortnights' is not a duration ..."), anything else as picocli says it.
     */
    private static String message(CommandLine.ParameterException ex) {
        String option = optionOf(ex);
        if (ex.getCause() instanceof Converters.BadValue bad && option != null) {
            return option + bad.problem();
        }
        String m = ex.getMessage();
        return m != null ? m : oneLine(ex);
    }

    /** The option a parameter error is about, or null. */
    private static @Nullable String optionOf(CommandLine.ParameterException ex) {
        if (ex.getArgSpec() instanceof OptionSpec o) {
            return o.longestName();
        }
        String message = ex.getMessage();
        if (message == null) {
            return null;
        }
        Matcher m = Pattern.compile("--[a-z-]+").matcher(message);
        return m.find() ? m.group() : null;
    }

    /** " (from ...)" when the bad value of {@code option} did not come from the command line. */
    private static String valueSource(@Nullable String option, String[] args, ConfigSources sources) {
        if (option == null) {
            return "";
        }
        for (String a : args) {
            if (a.equals(option) || a.startsWith(option + "=")) {
                return "";
            }
        }
        String source = sources.sourceOf(option);
        return source == null ? "" : " (from " + source + ")";
    }

    private static void warnUnknownEnv(Map<String, String> env, CommandSpec spec, PrintWriter err) {
        Set<String> known = new HashSet<>();
        addEnvNames(spec, known);
        known.add("ROUTERLOG_JAVA_OPTS");
        known.add(ClientOptions.PASSWORD_ENV);
        for (String name : env.keySet()) {
            if (name.startsWith("ROUTERLOG_") && !known.contains(name)) {
                err.println("routerlog: warning: ignoring unknown environment variable " + name);
            }
        }
        err.flush();
    }

    /** The environment variables that set options of {@code spec} and its subcommands. */
    private static void addEnvNames(CommandSpec spec, Set<String> names) {
        for (OptionSpec o : spec.options()) {
            names.add(ConfigSources.envName(o.longestName()));
        }
        for (CommandLine sub : spec.subcommands().values()) {
            addEnvNames(sub.getCommandSpec(), names);
        }
    }

    /** Arguments are visible to every local user (ps, /proc): a secret belongs in the environment or the file. */
    private static void warnSecretInArguments(String[] args, PrintWriter err) {
        for (String a : args) {
            if (a.equals("--cluster-secret") || a.startsWith("--cluster-secret=")) {
                err.println("routerlog: warning: --cluster-secret on the command line can be read by every local "
                        + "user (ps); set ROUTERLOG_CLUSTER_SECRET or put it in the --config file instead");
                err.flush();
                return;
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof CompletionException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
