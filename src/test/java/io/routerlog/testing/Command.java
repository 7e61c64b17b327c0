package io.routerlog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A program a test runs: either to its end within a deadline ({@link #run}), with its exit code and output, or in
 * the background for the length of a test ({@link #start}), stopped with {@link #stop}. Output is read while the
 * program runs, so a chatty program cannot block on a full pipe, and the deadline holds even if it never closes its
 * output. The program's standard input is empty unless {@link #stdin} gives it one.
 */
public final class Command {
    /** How long a stopped program may take to die once killed. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    /**
     * A thread of its own for each stream, so that none waits for another (the common pool may have a single
     * thread on a small machine); daemon threads, so that a program left running cannot keep the JVM alive.
     */
    private static final Executor IO = task -> {
        Thread t = new Thread(task, "command-io");
        t.setDaemon(true);
        t.start();
    };

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Predicate<String> unset = name -> false;
    private Path dir;
    private byte[] input = new byte[0];
    private Path inputFile;
    private boolean mergeStderr;
    private Duration deadline = Duration.ofSeconds(60);

    private Command(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Command of(String... command) {
        return new Command(List.of(command));
    }

    public static Command of(List<String> command) {
        return new Command(command);
    }

    /** Runs it in {@code directory} instead of the test's working directory. */
    public Command in(Path directory) {
        this.dir = directory;
        return this;
    }

    /** Adds {@code variables} to the environment it inherits. */
    public Command env(Map<String, String> variables) {
        env.putAll(variables);
        return this;
    }

    /** Adds one variable to the environment it inherits. */
    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Leaves the inherited variables whose names match out of its environment (before {@link #env} adds). */
    public Command unsetEnv(Predicate<String> names) {
        this.unset = this.unset.or(names);
        return this;
    }

    /** What it reads on standard input. */
    public Command stdin(byte[] bytes) {
        this.input = bytes.clone();
        this.inputFile = null;
        return this;
    }

    public Command stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Standard input read from {@code file}. */
    public Command stdin(Path file) {
        this.inputFile = file;
        return this;
    }

    /** Standard error into the same stream as standard output, interleaved as a terminal shows them. */
    public Command mergeStderr() {
        this.mergeStderr = true;
        return this;
    }

    /** How long {@link #run} lets it run before killing it; a minute unless set. */
    public Command deadline(Duration timeout) {
        this.deadline = timeout;
        return this;
    }

    /** The command line, for messages. */
    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /**
     * Runs it to its end, or until the deadline, when it is killed and the result says it did not finish. Fails
     * with an IOException only if it cannot be started.
     */
    public Result run() throws IOException {
        ProcessBuilder pb = builder().redirectErrorStream(mergeStderr);
        if (inputFile != null) {
            pb.redirectInput(inputFile.toFile());
        }
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), IO);
        CompletableFuture<String> err = mergeStderr
                ? CompletableFuture.completedFuture("")
                : CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), IO);
        if (inputFile == null) {
            IO.execute(() -> write(p));
        }
        try {
            boolean finished = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly();
                p.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
            }
            return new Result(this, finished, finished ? p.exitValue() : -1, collect(out), collect(err));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(this + " interrupted", e);
        }
    }

    /** Runs it to its end and returns its output; an IOException with the output if it fails or does not finish. */
    public String runOrThrow() throws IOException {
        return run().orThrow();
    }

    /**
     * Starts it in the background, standard output and error written to {@code output} (a file that failure
     * messages can quote); stop it with {@link #stop}. No deadline applies, and its standard input stays open:
     * {@link #stdin} is for {@link #run} only.
     */
    public Process start(Path output) throws IOException {
        return builder()
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    /**
     * Asks a program to stop (SIGTERM), gives it {@code grace} to shut down cleanly, then kills it. Keeps the
     * thread's interrupt flag if interrupted while waiting.
     */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().keySet().removeIf(unset);
        pb.environment().putAll(env);
        return pb;
    }

    /** Writes the input and closes the program's standard input, so that it sees the end. */
    private void write(Process p) {
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        } catch (IOException stoppedReading) {
            // it did not read all its input: what it made of that shows in its exit code and output
        }
    }

    private static String read(InputStream in) {
        try (in) {
            // decoded leniently: output that is not UTF-8 should fail an assertion, not the reading
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output read so far; a program it left running in the background may keep the pipe open. */
    private static String collect(CompletableFuture<String> output) throws InterruptedException {
        try {
            return output.get(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return "(cannot read output: " + e.getCause() + ")";
        } catch (TimeoutException e) {
            return "(output still open after the program ended)";
        }
    }

    /**
     * How a run ended. {@code exitCode} is -1 when it did not finish; {@code err} is empty when standard error went
     * into {@code out}.
     */
    public record Result(Command command, boolean finished, int exitCode, String out, String err) {
        /** Its output if it finished with exit code 0, else an IOException saying what happened, with the output. */
        public String orThrow() throws IOException {
            if (!finished) {
                throw new IOException(command + " did not finish:\n" + out + err);
            }
            if (exitCode != 0) {
                throw new IOException(command + " failed (" + exitCode + "):\n" + out + err);
            }
            return out;
        }

        public boolean succeeded() {
            return finished && exitCode == 0;
        }
    }
}
