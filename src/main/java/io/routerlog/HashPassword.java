package io.routerlog;

import io.routerlog.export.BasicAuth;
import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code routerlog hash-password}: reads a password and prints its bcrypt hash for --http-password-hash. */
@Command(
        name = "hash-password",
        mixinStandardHelpOptions = true,
        description = "Read a password (from the terminal, or the first line of standard input) and print its bcrypt "
                + "hash, for --http-password-hash.")
final class HashPassword implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("SystemConsoleNull") // on Java 17, which routerlog runs on, null means no terminal
    public Integer call() throws Exception {
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("routerlog: no password given");
            return 2;
        }
        int bytes = BasicAuth.utf8Length(password);
        if (bytes > BasicAuth.MAX_PASSWORD_BYTES) {
            // bcrypt reads only the first 72 bytes: a longer password would be a shorter one in disguise
            spec.commandLine()
                    .getErr()
                    .println("routerlog: the password has " + bytes + " bytes in UTF-8; bcrypt " + "takes at most "
                            + BasicAuth.MAX_PASSWORD_BYTES + ", so choose a shorter one");
            Arrays.fill(password, '\0');
            return 2;
        }
        spec.commandLine().getOut().println(BasicAuth.hash(password));
        Arrays.fill(password, '\0');
        return 0;
    }
}
