package io.routerlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code routerlog top}: the group of {@code top domains} and {@code top clients}. */
@Command(
        name = "top",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        subcommands = {TopDomains.class, TopClients.class},
        synopsisSubcommandLabel = "(domains | clients)",
        descriptionHeading = "%n",
        commandListHeading = "%nCommands:%n",
        description = {"Ask a running node for the most queried domains or the busiest clients.", ""})
public final class Top implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("routerlog top: say which: domains or clients (see routerlog top --help)");
        return 2;
    }
}
