package io.routerlog;

import picocli.CommandLine.Option;

/**
 * {@code --help} and {@code --version}, worded as picocli's standard ones but listed after every other option:
 * the options of a node give their place in the help with {@code order}, which would put options without one
 * first.
 */
public final class HelpOptions {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            order = 1000,
            description = "Show this help message and exit.")
    boolean help;

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            order = 1001,
            description = "Print version information and exit.")
    boolean version;
}
