package io.routerlog.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The lease file options, as picocli fills them. The {@code order} is its place in {@code routerlog --help}, which
 * lists the options of all components in one sequence. The file is read when the watcher starts.
 */
public final class LeasesOptions {
    @Option(
            names = "--leases-file",
            paramLabel = "FILE",
            order = 36,
            description = "A dnsmasq lease file (such as /tmp/dhcp.leases) to learn DHCP identities from at start "
                    + "and whenever it changes.")
    Path leasesFile;

    @Option(
            names = "--leases-router",
            paramLabel = "NAME",
            order = 36,
            description = "The router whose leases --leases-file holds, as the router label names it (its syslog "
                    + "HOSTNAME). Default: this machine's hostname, which matches when dnsmasq runs here.")
    String leasesRouter;

    /** The lease file to watch, when there is one, and its router. */
    public LeasesSettings settings() {
        String router = leasesRouter != null && !leasesRouter.isBlank() ? leasesRouter.strip() : localHostname();
        return new LeasesSettings(Optional.ofNullable(leasesFile), router);
    }

    /** This machine's hostname as the kernel has it (what syslog puts in HOSTNAME), else {@code localhost}. */
    static String localHostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
                    .strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }
}
