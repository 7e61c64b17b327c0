package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * syslog-ng's load generator {@code loggen} (from the same syslog-ng-core as {@link SyslogNg}), sending over UDP to
 * 127.0.0.1 with {@code --syslog-proto}: RFC 5424 with the octet count inside each datagram.
 */
public final class Loggen {
    private Loggen() {}

    public static boolean available() {
        return SyslogNg.available() && Files.isExecutable(SyslogNg.home().resolve("usr/bin/loggen"));
    }

    private static List<String> command(int port, int count, String... options) {
        List<String> cmd = new ArrayList<>(List.of(
                SyslogNg.home().resolve("usr/bin/loggen").toString(),
                "--inet",
                "--dgram",
                "--syslog-proto",
                "--number",
                Integer.toString(count),
                "--rate",
                "10000",
                "--quiet"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(port)));
        return cmd;
    }

    /**
     * Sends the first {@code count} lines of {@code file}, one datagram each. loggen parses each line (RFC 5424
     * {@code <PRI>1 TIMESTAMP HOST APP PID MSGID SD MSG}, or RFC 3164) and sends it again in RFC 5424 with the
     * current time. Returns loggen's output.
     */
    public static String sendFile(Path file, int count, int port) throws IOException {
        return Command.of(command(port, count, "--read-file", file.toString()))
                .env(SyslogNg.environment())
                .mergeStderr()
                .runOrThrow();
    }

    /** Sends {@code count} messages loggen makes up itself (program {@code prg00000}). Returns loggen's output. */
    public static String sendGenerated(int count, int port) throws IOException {
        return Command.of(command(port, count))
                .env(SyslogNg.environment())
                .mergeStderr()
                .runOrThrow();
    }
}
