package io.routerlog.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.routerlog.store.ClusterSettings;
import io.routerlog.testing.Cluster;
import io.routerlog.testing.Http;
import io.routerlog.testing.RouterLogProcess;
import io.routerlog.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who gets into a cluster of routerlog processes on loopback: the nodes that share --cluster-secret (given in the
 * environment) form it; a Hazelcast client, a plain Hazelcast member that knows only the cluster name, and a
 * routerlog node with another secret do not, and the cluster stays as it was.
 */
class ClusterAdmissionIT {
    private static final String SECRET = "the cluster's own secret 0123456789";

    @Test
    void onlyMembersWithTheSecretJoinAndNoClientConnects() throws Exception {
        try (Cluster c = new Cluster(2, Map.of("ROUTERLOG_CLUSTER_SECRET", SECRET)).startAll()) {
            String joinName =
                    new ClusterSettings(List.of(), 5701, c.name(), null, null, false, null, SECRET).joinName();
            for (RouterLogProcess node : c.nodes) {
                assertThat(node.output())
                        .doesNotContain(SECRET)
                        .doesNotContain(joinName)
                        .doesNotContain("has no --cluster-secret");
            }

            // a Hazelcast client, even with the name the members join with, cannot connect
            ClientConfig client = new ClientConfig();
            client.setClusterName(joinName);
            client.setProperty("hazelcast.logging.type", "log4j2");
            client.getNetworkConfig().addAddress("127.0.0.1:" + c.member[0]);
            client.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
            assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Unable to connect");

            // a plain Hazelcast member that knows the cluster name and the members, but not the secret
            HazelcastInstance stranger = Hazelcast.newHazelcastInstance(stranger(c));
            try {
                assertThat(stranger.getCluster().getMembers())
                        .as("the stranger is alone")
                        .hasSize(1);
                // a routerlog node with another secret
                try (RouterLogProcess wrong = RouterLogProcess.start(
                        RouterLogProcess.freePortForUdpAndTcp(),
                        RouterLogProcess.freePortForUdpAndTcp(),
                        List.of(),
                        List.of(
                                "--cluster-name",
                                c.name(),
                                "--cluster-port",
                                Integer.toString(RouterLogProcess.freePortForUdpAndTcp()),
                                "--cluster-interface",
                                "127.0.0.1",
                                "--cluster-members",
                                c.members()),
                        Map.of("ROUTERLOG_CLUSTER_SECRET", "another secret 0123456789"))) {
                    Thread.sleep(3000); // heartbeats and a split-brain check have come and gone
                    assertThat(Http.metrics(wrong.httpPort).value("routerlog_cluster_members"))
                            .isEqualTo(1.0);
                    assertThat(stranger.getCluster().getMembers()).hasSize(1);
                    for (int http : c.http) {
                        assertThat(Http.metrics(http).value("routerlog_cluster_members"))
                                .isEqualTo(2.0);
                        assertThat(Http.metrics(http).value("routerlog_cluster_unexpected_members_total"))
                                .isZero();
                    }
                    assertThat(c.nodes[0].output() + c.nodes[1].output())
                            .contains("invalid join request")
                            .doesNotContain("is not in --cluster-members");
                }
            } finally {
                stranger.shutdown();
            }
        }
    }

    @Test
    void aClusterWithoutASecretIsWarnedAbout() throws Exception {
        try (Cluster c = new Cluster(1)) {
            c.start(0);
            Waiting.upTo(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(100),
                    () -> c.nodes[0].output().contains("has no --cluster-secret"));
            assertThat(c.nodes[0].output()).contains("The cluster has no --cluster-secret");
        }
    }

    /** A Hazelcast member with the cluster's name and member list, as anyone with the jar can start. */
    private static Config stranger(Cluster c) throws Exception {
        Config config = new Config();
        config.setClusterName(c.name());
        config.setProperty("hazelcast.logging.type", "log4j2");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.getJetConfig().setEnabled(false);
        config.getNetworkConfig()
                .setPort(RouterLogProcess.freePortForUdpAndTcp())
                .setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember(c.members());
        return config;
    }
}
