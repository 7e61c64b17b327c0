package io.routerlog.it;

import io.routerlog.testing.Command;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Network namespaces and veth links that a test creates for itself (needs root and iproute2). */
final class Netns {
    private Netns() {}

    static boolean available() {
        try {
            return "0".equals(run("id", "-u").strip()) && run("ip", "-V").contains("iproute");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a command, returns its output, fails on a non-zero exit. */
    static String run(String... cmd) throws IOException {
        return Command.of(cmd).mergeStderr().runOrThrow();
    }

    /** The command line to run {@code cmd} inside namespace {@code ns}. */
    static List<String> in(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c;
    }

    static String runIn(String ns, String... cmd) throws IOException {
        return run(in(ns, cmd).toArray(String[]::new));
    }
}
