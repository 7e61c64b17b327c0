package io.routerlog.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

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
 * @param secret        shared secret every member must have to join ({@code --cluster-secret}), or null; see
 *                      {@link #joinName()}
 */
public record ClusterSettings(
        List<String> members,
        int port,
        String name,
        @Nullable String iface,
        @Nullable String publicAddress,
        boolean multicast,
        @Nullable String k8sService,
        @Nullable String secret) {
    public static final int DEFAULT_PORT = 5701;
    public static final String DEFAULT_NAME = "routerlog";

    public ClusterSettings {
        members = List.copyOf(members);
    }

    public ClusterSettings(
            List<String> members,
            int port,
            String name,
            @Nullable String iface,
            @Nullable String publicAddress,
            boolean multicast,
            @Nullable String k8sService) {
        this(members, port, name, iface, publicAddress, multicast, k8sService, null);
    }

    public static ClusterSettings single() {
        return new ClusterSettings(List.of(), DEFAULT_PORT, DEFAULT_NAME, null, null, false, null);
    }

    /** True when the node looks for other members. */
    public boolean clustered() {
        return !members.isEmpty() || multicast || k8sService != null;
    }

    /**
     * The cluster name the members compare when one asks to join: {@link #name} without a secret; with one,
     * {@code NAME-} and 32 hex digits of HMAC-SHA256(secret, name). A member whose secret differs (or that has
     * none) presents another name and is refused by Hazelcast's join check, which is the only check of a joining
     * member that Hazelcast's open-source edition has. The secret itself never leaves the node, but this name
     * travels unencrypted in every join request (and in multicast discovery, to the whole network): whoever sees
     * the cluster's traffic can join with it.
     */
    public String joinName() {
        if (secret == null) {
            return name;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] tag = mac.doFinal(("routerlog cluster " + name).getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Without the secret. */
    @Override
    public String toString() {
        return "ClusterSettings[members=" + members + ", port=" + port + ", name=" + name + ", iface=" + iface
                + ", publicAddress=" + publicAddress + ", multicast=" + multicast + ", k8sService=" + k8sService
                + ", secret=" + (secret == null ? "none" : "set") + "]";
    }
}
