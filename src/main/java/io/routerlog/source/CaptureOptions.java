package io.routerlog.source;

import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of live capture and of the DNS port in packets, as picocli fills them. The {@code order} of each
 * option is its place in {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class CaptureOptions {
    @Option(
            names = "--capture-interface",
            paramLabel = "IF",
            order = 45,
            description = "Also count DNS packets captured live on this interface (Linux; runs tcpdump, which needs "
                    + "CAP_NET_RAW): queries like query log lines, DNSTT bytes in and out.")
    String captureInterface;

    @Option(
            names = "--capture-port",
            paramLabel = "PORT",
            defaultValue = "53",
            order = 46,
            converter = Converters.PortValue.class,
            description =
                    "The DNS port of --capture-interface and of pcap files (UDP and TCP). Default: ${DEFAULT-VALUE}.")
    int capturePort;

    /**
     * Checks the values and builds the settings.
     *
     * @throws SettingException naming the first option whose value cannot work
     */
    public CaptureSettings settings() {
        if (capturePort == 0) {
            throw SettingException.saying("--capture-port", "--capture-port must be between 1 and 65535: 0");
        }
        String iface = captureInterface == null || captureInterface.isBlank() ? null : captureInterface.strip();
        if (iface != null && !iface.matches("[A-Za-z0-9_.:@-]{1,64}")) {
            throw new SettingException("--capture-interface", "'" + captureInterface + "' is not an interface name");
        }
        return new CaptureSettings(Optional.ofNullable(iface), capturePort);
    }
}
