package io.routerlog.aggregate;

import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import io.routerlog.config.Spellings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options of moving counts from memory to the store, as picocli fills them. The {@code order} of each option
 * is its place in {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class FlushOptions {
    @Option(
            names = "--flush-interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            order = 27,
            converter = Converters.DurationValue.class,
            description = "How often counts go from memory to the store; at most this much is lost if the process "
                    + "is killed. Default: ${DEFAULT-VALUE}.")
    Duration flushInterval;

    @Option(
            names = "--dnstt-active-window",
            paramLabel = "DURATION",
            defaultValue = "30s",
            order = 32,
            converter = Converters.DurationValue.class,
            description =
                    "A DNSTT session is active while it sent a query within this time. Default: ${DEFAULT-VALUE}.")
    Duration dnsttActiveWindow;

    /**
     * Checks the values and builds the settings.
     *
     * @param text how the values were written, for the messages
     * @throws SettingException naming the first option whose value cannot work
     */
    public FlushSettings settings(Spellings text) {
        if (flushInterval.toMillis() < 10 || flushInterval.toMinutes() > 60) {
            throw SettingException.saying(
                    "--flush-interval", "--flush-interval must be between 10ms and 1h: " + text.of("--flush-interval"));
        }
        if (dnsttActiveWindow.toMillis() < 1000) {
            throw SettingException.saying(
                    "--dnstt-active-window",
                    "--dnstt-active-window must be at least 1s: " + text.of("--dnstt-active-window"));
        }
        return new FlushSettings(flushInterval, dnsttActiveWindow);
    }
}
