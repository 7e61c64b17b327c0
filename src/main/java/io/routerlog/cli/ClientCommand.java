package io.routerlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerlog.HelpOptions;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that asks the node's API and prints the answer. Exit codes: 0 when it printed the answer, 1 when the
 * node could not be asked or refused (the reason on one line of standard error), 2 for a bad option.
 */
abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    HelpOptions help;

    @Spec
    CommandSpec spec;

    /** The clock that decides what "today" is for times; the system's, in its zone. */
    Clock clock = Clock.system(ZoneId.systemDefault());

    @Override
    public final Integer call() {
        Api api = client.connect(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(api, out, err);
        } catch (ApiException e) {
            err.println("routerlog: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Asks {@code api} and prints; returns the exit code. */
    abstract int run(Api api, PrintWriter out, PrintWriter err) throws ApiException, InterruptedException;

    /** A table whose cuts show an ellipsis the output can encode. */
    static Table table() {
        return new Table(Terminal.ellipsis(Charset.defaultCharset()));
    }

    /** Prints {@code lines}, one each. */
    static void print(PrintWriter out, List<String> lines) {
        for (String line : lines) {
            out.println(line);
        }
    }

    /** A text field of an item, {@code ""} when missing or null. */
    static String text(JsonNode item, String field) {
        JsonNode v = item.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** {@code --limit} checked: at least 1. */
    int limit(int limit) {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1: " + limit);
        }
        return limit;
    }
}
