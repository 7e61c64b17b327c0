package io.routerlog.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Logs lines into a local syslog socket with util-linux {@code logger}, as a program on the router logs through
 * syslog(3): facility daemon, severity info ({@code <30>}), tag {@code NAME[PID]:}, one datagram per line.
 */
public final class LocalLogger {
    private LocalLogger() {}

    /** Sends {@code lines} to the unix datagram socket {@code socket} as program {@code program} with {@code pid}. */
    public static void send(Path socket, String program, int pid, List<String> lines) throws IOException {
        StringBuilder stdin = new StringBuilder();
        for (String line : lines) {
            if (line.isEmpty() || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("logger sends one non-empty line per message: '" + line + "'");
            }
            stdin.append(line).append('\n');
        }
        Command.of(
                        "logger",
                        "--socket",
                        socket.toString(),
                        "--udp",
                        "--socket-errors=on",
                        "--priority",
                        "daemon.info",
                        "--tag",
                        program,
                        "--id=" + pid)
                .stdin(stdin.toString())
                .mergeStderr()
                .runOrThrow();
    }
}
