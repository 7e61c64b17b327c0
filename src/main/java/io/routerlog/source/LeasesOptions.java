package io.routerlog.source;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The lease file option, as picocli fills it. The {@code order} is its place in {@code routerlog --help}, which
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

    /** The lease file to watch, when there is one. */
    public Optional<Path> leasesFile() {
        return Optional.ofNullable(leasesFile);
    }
}
