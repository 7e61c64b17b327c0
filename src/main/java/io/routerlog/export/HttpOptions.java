package io.routerlog.export;

import io.routerlog.config.Converters;
import io.routerlog.config.SettingException;
import java.net.InetAddress;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of the HTTP endpoints, as picocli fills them. The {@code order} of each option is its place in
 * {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class HttpOptions {
    @Option(
            names = "--http-address",
            paramLabel = "ADDR",
            defaultValue = "0.0.0.0",
            order = 5,
            converter = Converters.AddressValue.class,
            description = "Address for /metrics and /healthz. Default: ${DEFAULT-VALUE}.")
    InetAddress httpAddress;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "9514",
            order = 6,
            converter = Converters.PortValue.class,
            description = "Port for /metrics and /healthz. Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Option(
            names = "--http-tls",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            order = 11,
            description =
                    "Serve the HTTP endpoints over HTTPS with --tls-cert and --tls-key. Default: ${DEFAULT-VALUE}.")
    boolean httpTls;

    @Option(
            names = "--http-user",
            paramLabel = "NAME",
            order = 12,
            description = "Require HTTP basic authentication with this user (all endpoints but /healthz).")
    String httpUser;

    @Option(
            names = "--http-password-hash",
            paramLabel = "BCRYPT",
            order = 13,
            description = "bcrypt hash of the --http-user password (make one with: routerlog hash-password).")
    String httpPasswordHash;

    /** True when HTTPS is asked for. */
    public boolean tls() {
        return httpTls;
    }

    /**
     * Checks the values and builds the settings.
     *
     * @throws SettingException naming the first option whose value cannot work
     */
    public HttpSettings settings() {
        if ((httpUser == null) != (httpPasswordHash == null)) {
            throw SettingException.saying("--http-user", "--http-user and --http-password-hash go together");
        }
        if (httpPasswordHash != null && !httpPasswordHash.strip().matches("\\$2[abxy]?\\$\\d\\d\\$.{53}")) {
            throw SettingException.saying(
                    "--http-password-hash",
                    "--http-password-hash is not a bcrypt hash "
                            + "($2a$10$...): make one with: routerlog hash-password");
        }
        Optional<HttpSettings.Login> login = httpUser == null
                ? Optional.empty()
                : Optional.of(new HttpSettings.Login(httpUser, httpPasswordHash.strip()));
        return new HttpSettings(httpAddress, httpPort, httpTls, login);
    }
}
