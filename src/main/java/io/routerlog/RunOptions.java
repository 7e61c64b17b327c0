package io.routerlog;

import io.routerlog.aggregate.FlushOptions;
import io.routerlog.config.SettingException;
import io.routerlog.config.Spellings;
import io.routerlog.config.TlsOptions;
import io.routerlog.detect.DetectOptions;
import io.routerlog.export.HttpOptions;
import io.routerlog.geoip.GeoIpOptions;
import io.routerlog.rules.RulesOptions;
import io.routerlog.source.CaptureOptions;
import io.routerlog.source.LeasesOptions;
import io.routerlog.source.ListenerOptions;
import io.routerlog.store.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a routerlog node (the appliance and {@code routerlog ingest}), as picocli fills them: each
 * component's own option group, plus the config file and the log level. {@code routerlog --help} lists them in the
 * {@code order} each option gives, whichever group it belongs to.
 */
public final class RunOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            order = 1,
            description = "Read settings from FILE: one 'name = value' per line, names as the long options without "
                    + "dashes. Command-line flags win over ROUTERLOG_* environment variables, which win over the file.")
    Path config;

    @Mixin
    ListenerOptions syslog;

    @Mixin
    HttpOptions http;

    @Mixin
    TlsOptions tls;

    @Mixin
    StoreOptions store;

    @Mixin
    FlushOptions flush;

    @Mixin
    RulesOptions rules;

    @Mixin
    DetectOptions detect;

    @Mixin
    GeoIpOptions geoIp;

    @Mixin
    LeasesOptions leases;

    @Mixin
    CaptureOptions capture;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            defaultValue = "info",
            order = 49,
            description = "error, warn, info, debug or trace. Default: ${DEFAULT-VALUE}.")
    String logLevel;

    /**
     * Checks every value and builds the settings; a bad value becomes a ParameterException (exit code 2). Opens no
     * file: the components read theirs when they start.
     */
    public Settings toSettings(CommandSpec spec) {
        try {
            return build(Spellings.of(spec));
        } catch (SettingException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Settings build(Spellings text) {
        var captureSettings = capture.settings();
        var syslogSettings = syslog.settings(text);
        var tlsSettings = tls.settings(syslog.tlsPort().isPresent(), http.tls());
        var httpSettings = http.settings();
        var storeSettings = store.settings(text);
        var flushSettings = flush.settings(text);
        var rulesSettings = rules.settings();
        String level = logLevel.strip().toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw SettingException.saying(
                    "--log-level", "--log-level must be error, warn, info, debug or trace: " + logLevel);
        }
        return new Settings(
                syslogSettings,
                tlsSettings,
                httpSettings,
                storeSettings,
                flushSettings,
                rulesSettings,
                detect.settings(text),
                geoIp.settings(),
                leases.settings(),
                captureSettings,
                level);
    }
}
