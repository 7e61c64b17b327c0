package io.routerlog.store;

import io.routerlog.config.Checks;
import io.routerlog.config.Converters;
import io.routerlog.config.HostPort;
import io.routerlog.config.SettingException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of how a node finds and joins the others, as picocli fills them. The {@code order} of each option
 * is its place in {@code routerlog --help}, which lists the options of all components in one sequence.
 */
public final class ClusterOptions {
    @Option(
            names = "--cluster-members",
            paramLabel = "HOST[:PORT]",
            split = ",",
            order = 37,
            description = "Other routerlog nodes to form a cluster with (TCP/IP member list, repeatable or "
                    + "comma-separated). Without any cluster option a node stays single.")
    List<String> clusterMembers = new ArrayList<>();

    @Option(
            names = "--cluster-port",
            paramLabel = "PORT",
            defaultValue = "5701",
            order = 38,
            converter = Converters.PortValue.class,
            description = "Port for cluster traffic (the next free one is taken if in use). Default: ${DEFAULT-VALUE}.")
    int clusterPort;

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            defaultValue = "routerlog",
            order = 39,
            description = "Nodes only join a cluster of the same name. Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(
            names = "--cluster-secret",
            paramLabel = "SECRET",
            order = 40,
            description = "Secret every node of the cluster must have to join it (the same on every node, at least "
                    + "16 characters; better in ROUTERLOG_CLUSTER_SECRET or the config file than on the command "
                    + "line). It keeps out nodes without it; it does not encrypt: firewall the cluster port too.")
    String clusterSecret;

    @Option(
            names = "--cluster-interface",
            paramLabel = "ADDR",
            order = 41,
            description = "Local address (or pattern such as 10.0.*.*) for cluster traffic, on multi-homed hosts.")
    String clusterInterface;

    @Option(
            names = "--cluster-public-address",
            paramLabel = "HOST[:PORT]",
            order = 42,
            converter = Converters.HostPortValue.class,
            description = "Address the other nodes should use to reach this one, when it differs (NAT, containers).")
    HostPort clusterPublicAddress;

    @Option(
            names = "--cluster-multicast",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            order = 43,
            description = "Find other nodes by multicast on the local network. Default: ${DEFAULT-VALUE}.")
    boolean clusterMulticast;

    @Option(
            names = "--cluster-k8s-service",
            paramLabel = "DNS-NAME",
            order = 44,
            description = "Find other nodes through the Kubernetes headless service of this DNS name.")
    String clusterK8sService;

    /**
     * Checks the values and builds the settings.
     *
     * @throws SettingException naming the first option whose value cannot work
     */
    public ClusterSettings settings() {
        List<String> members = new ArrayList<>();
        for (String m : clusterMembers) {
            String member = m.strip();
            if (!member.isEmpty()) {
                try {
                    HostPort.parse(member);
                } catch (IllegalArgumentException e) {
                    throw new SettingException("--cluster-members", String.valueOf(e.getMessage()));
                }
                members.add(member);
            }
        }
        if (clusterPort == 0) {
            throw SettingException.saying("--cluster-port", "--cluster-port must be between 1 and 65535: 0");
        }
        if (clusterName.isBlank()) {
            throw SettingException.saying("--cluster-name", "--cluster-name must not be empty");
        }
        if (clusterSecret != null && clusterSecret.strip().length() < 16) {
            throw SettingException.saying("--cluster-secret", "--cluster-secret must be at least 16 characters");
        }
        if (clusterK8sService != null && !Checks.isDnsName(clusterK8sService.strip())) {
            throw new SettingException("--cluster-k8s-service", "'" + clusterK8sService + "' is not a DNS name");
        }
        return new ClusterSettings(
                members,
                clusterPort,
                clusterName.strip(),
                blankToNull(clusterInterface),
                clusterPublicAddress == null ? null : clusterPublicAddress.toString(),
                clusterMulticast,
                blankToNull(clusterK8sService),
                clusterSecret == null ? null : clusterSecret.strip());
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
