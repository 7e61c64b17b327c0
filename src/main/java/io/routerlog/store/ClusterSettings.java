package io.routerlog.store;

import java.util.List;

/**
 * How a member finds and talks to the others. With no members, no multicast and no Kubernetes service the node
 * stays single: it listens for members on the loopback address only and starts without waiting for anyone.
 *
 * @param members       TCP-IP member list ({@code host[:port]})
 * @param port          first port for member traffic
 * @param name          members only join a cluster of the same name
 * @param iface         interface (address or pattern such as {@code 10.0.*.*}) to bind and announce, or null
 * @param publicAddress address ({@code host[:port]}) announced to the others when it differs (NAT), or null
 * @param multicast     discover members by multicast
 * @param k8sService    Kubernetes headless service DNS name to discover members by, or null
 */
public record ClusterSettings(List<String> members, int port, String name, String iface, String publicAddress,
        boolean multicast, String k8sService) {
    public static final int DEFAULT_PORT = 5701;
    public static final String DEFAULT_NAME = "routerlog";

    public ClusterSettings {
        members = List.copyOf(members);
    }

    public static ClusterSettings single() {
        return new ClusterSettings(List.of(), DEFAULT_PORT, DEFAULT_NAME, null, null, false, null);
    }

    /** True when the node looks for other members. */
    public boolean clustered() {
        return !members.isEmpty() || multicast || k8sService != null;
    }
}
