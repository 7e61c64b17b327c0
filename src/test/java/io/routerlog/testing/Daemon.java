package io.routerlog.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A program a relay fixture runs in the foreground for the length of a test: standard output and error go to a file
 * that failure messages quote; closing it sends SIGTERM and kills it if it has not stopped after a few seconds. Also
 * the fixtures' lookup of programs ({@link #onPath}).
 */
final class Daemon implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path output;

    private Daemon(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code command} in {@code dir} with {@code env} added to the environment; output in dir/NAME.out. */
    static Daemon start(String name, List<String> command, Map<String, String> env, Path dir) throws IOException {
        Path output = dir.resolve(name + ".out");
        return new Daemon(name, Command.of(command).in(dir).env(env).start(output), output);
    }

    /**
     * Waits until {@code file} exists (a socket the program creates once it is ready); fails with the program's
     * output if it exits first or does not get there within {@code timeout}.
     */
    void awaitFile(Path file, Duration timeout) {
        try {
            Waiting.atMost(timeout, Duration.ofMillis(10)).until(() -> {
                if (Files.exists(file)) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + " before creating "
                            + file + ":\n" + output());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    name + " did not create " + file + " within " + timeout + ":\n" + output(), e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the program wrote to standard output and error so far. */
    String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a few seconds. */
    @Override
    public void close() {
        Command.stop(process, STOP_GRACE);
    }

    /**
     * {@code program} in the PATH, /usr/sbin or /sbin (daemons live there, and a user's PATH may lack them), or
     * null.
     */
    static Path onPath(String program) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, program));
            }
        }
        candidates.add(Path.of("/usr/sbin", program));
        candidates.add(Path.of("/sbin", program));
        return candidates.stream()
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst()
                .orElse(null);
    }
}
