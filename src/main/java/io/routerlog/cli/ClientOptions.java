package io.routerlog.cli;

import io.routerlog.config.Converters;
import io.routerlog.config.FileReasons;
import io.routerlog.config.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command that asks a node shares: where the node is, how to log in, how to print. The password
 * never comes from the command line (other local users can read it there): it is read from
 * {@code --password-file} or the environment variable {@value #PASSWORD_ENV}.
 */
public final class ClientOptions {
    /** The environment variable with the password for {@code --user}. */
    public static final String PASSWORD_ENV = "ROUTERLOG_PASSWORD";

    private final Map<String, String> env;

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:9514",
            order = 100,
            // the default on a line of its own: picocli would break the URL at its dots
            description = {
                "The node to ask: its HTTP port as a URL (https for a node with --http-tls).",
                "Default: ${DEFAULT-VALUE}."
            })
    String url = "http://127.0.0.1:9514";

    @Option(
            names = "--user",
            paramLabel = "NAME",
            order = 101,
            description = "Log in as this user (the node's --http-user), with the password from the environment "
                    + "variable " + PASSWORD_ENV + " or --password-file.")
    @Nullable
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            order = 102,
            description = "Read the --user password from the first line of this file.")
    @Nullable
    Path passwordFile;

    @Option(
            names = "--tls-ca",
            paramLabel = "FILE",
            order = 103,
            description = "Trust the CA certificates (or the self-signed certificate) in this PEM file for an "
                    + "https:// URL, instead of the system's CAs.")
    @Nullable
    Path tlsCa;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            order = 104,
            converter = Converters.DurationValue.class,
            description = "Give up on a request after this long. Default: ${DEFAULT-VALUE}.")
    Duration timeout = Duration.ofSeconds(10);

    @Option(
            names = "--json",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            order = 105,
            description = "Print the API's JSON as it came instead of a table.")
    boolean json;

    /** Options that read the process's environment. */
    public ClientOptions() {
        this(System.getenv());
    }

    /** Options that read {@code env} (for the password and the terminal width). */
    public ClientOptions(Map<String, String> env) {
        this.env = env;
    }

    /** True when {@code --json} asks for the API's JSON. */
    public boolean json() {
        return json;
    }

    /** The width to fit tables to (see {@link Terminal#width}). */
    public int width() {
        return Terminal.width(env);
    }

    /**
     * The API of the node these options name.
     *
     * @throws ParameterException for a value that cannot work (exit code 2)
     */
    public Api connect(CommandSpec spec) {
        String base = base(spec);
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout);
        Path ca = tlsCa;
        if (ca != null) {
            if (!base.startsWith("https:")) {
                throw new ParameterException(spec.commandLine(), "--tls-ca is for an https:// --url: " + base);
            }
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, TlsFiles.trustManagers("--tls-ca", ca).getTrustManagers(), null);
                http.sslContext(tls);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no TLS in this JVM", e);
            }
        }
        return new Api(base, http.build(), authorization(spec), timeout);
    }

    private String base(CommandSpec spec) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--url: '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new ParameterException(
                    spec.commandLine(), "--url: '" + url + "' is not an http:// or https:// URL with a host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new ParameterException(
                    spec.commandLine(), "--url: '" + url + "' must be the node's address only (a user goes in --user)");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private @Nullable String authorization(CommandSpec spec) {
        Path file = passwordFile;
        String name = user;
        if (name == null) {
            if (file != null) {
                throw new ParameterException(spec.commandLine(), "--password-file goes with --user");
            }
            return null;
        }
        String password;
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                password = text.lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--password-file: " + FileReasons.cannotRead(file, e));
            }
            if (password.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(), "--password-file: " + file + " has no password on its first line");
            }
        } else {
            password = env.get(PASSWORD_ENV);
            if (password == null || password.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--user needs a password: set " + PASSWORD_ENV + " or give --password-file");
            }
        }
        String credentials = name + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
