package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The Hazelcast configuration the store builds from routerlog's settings. */
class StoreConfigTest {
    private static Config config(ClusterSettings cluster, int backups) {
        return Store.config(new StoreSettings(10_000, 1000, 1000, Duration.ofHours(24), backups, cluster));
    }

    private static ServerSocketEndpointConfig memberEndpoint(Config c) {
        return (ServerSocketEndpointConfig) Objects.requireNonNull(
                c.getAdvancedNetworkConfig().getEndpointConfigs().get(EndpointQualifier.MEMBER));
    }

    @Test
    void theClusterPortSpeaksTheMemberProtocolOnly() {
        for (ClusterSettings cluster : List.of(
                ClusterSettings.single(),
                new ClusterSettings(List.of("10.0.0.1"), 5701, "lab", null, null, false, null))) {
            Config c = config(cluster, 1);
            assertThat(c.getAdvancedNetworkConfig().isEnabled()).isTrue();
            assertThat(c.getAdvancedNetworkConfig().getEndpointConfigs().keySet())
                    .containsExactly(EndpointQualifier.MEMBER);
        }
    }

    @Test
    void theSecretChangesTheNameMembersJoinWithAndNoOneKnowsASingleNodesName() {
        ClusterSettings plain = new ClusterSettings(List.of("10.0.0.1"), 5701, "lab", null, null, false, null);
        ClusterSettings secret = new ClusterSettings(
                List.of("10.0.0.1"), 5701, "lab", null, null, false, null, "correct horse battery staple");
        ClusterSettings other = new ClusterSettings(
                List.of("10.0.0.1"), 5701, "lab", null, null, false, null, "correct horse battery stable");
        assertThat(config(plain, 1).getClusterName()).isEqualTo("lab");
        assertThat(config(secret, 1).getClusterName())
                .isEqualTo(secret.joinName())
                .matches("lab-[0-9a-f]{32}")
                .isNotEqualTo(other.joinName())
                .doesNotContain("horse");
        assertThat(config(secret, 1).getProperty("hazelcast.logging.details.enabled"))
                .isEqualTo("false");
        assertThat(secret.toString()).doesNotContain("horse");
        assertThat(config(ClusterSettings.single(), 1).getClusterName())
                .startsWith("routerlog-single-")
                .isNotEqualTo(config(ClusterSettings.single(), 1).getClusterName());
    }

    @Test
    void aSingleNodeDiscoversNothingAndListensOnLoopbackOnly() {
        Config c = config(ClusterSettings.single(), 1);
        JoinConfig join = c.getAdvancedNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(memberEndpoint(c).getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(c.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    }

    /**
     * Hazelcast's own metrics are off: routerlog exports its own, and Hazelcast's would walk every map's statistics
     * every few seconds and publish them as JMX beans. A running member shows it: with them on, its beans appear
     * under its instance name after the first collection.
     */
    @Test
    void aRunningMemberKeepsNoMetricsOfItsOwn() throws Exception {
        Config c = config(ClusterSettings.single(), 1);
        c.getAdvancedNetworkConfig()
                .getEndpointConfigs()
                .values()
                .forEach(e -> ((ServerSocketEndpointConfig) e).setPort(0));
        assertThat(c.getMetricsConfig().isEnabled()).isFalse();
        // were they on, the first collection (and the beans) would come within a second
        c.getMetricsConfig().setCollectionFrequencySeconds(1);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
        try {
            assertThat(hz.getMap(Store.PAIRS).size()).isZero();
            ObjectName ours = new ObjectName("com.hazelcast:instance=" + hz.getName() + ",*");
            Thread.sleep(2_500);
            assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(ours, null))
                    .isEmpty();
        } finally {
            hz.shutdown();
        }
    }

    @Test
    void memberListInterfaceAndPublicAddress() {
        Config c = config(
                new ClusterSettings(
                        List.of("10.0.0.1", "10.0.0.2:5702"), 5710, "lab", "10.0.*.*", "203.0.113.5:5710", false, null),
                2);
        JoinConfig join = c.getAdvancedNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5702");
        assertThat(c.getClusterName()).isEqualTo("lab");
        assertThat(memberEndpoint(c).getPort()).isEqualTo(5710);
        assertThat(memberEndpoint(c).getInterfaces().getInterfaces()).containsExactly("10.0.*.*");
        assertThat(memberEndpoint(c).getPublicAddress()).isEqualTo("203.0.113.5:5710");
        for (String map : List.of(
                Store.PAIRS,
                Store.REPLIES,
                Store.IDENTITIES,
                Store.TUNNEL_SESSIONS,
                Store.TUNNEL_COUNTERS,
                Store.TUNNEL_PEAKS)) {
            assertThat(c.getMapConfig(map).getBackupCount()).as(map).isEqualTo(2);
        }
    }

    @Test
    void multicastAndKubernetesAreHazelcastsOwnDiscovery() {
        Config c = config(
                new ClusterSettings(
                        List.of(),
                        5701,
                        "routerlog",
                        null,
                        null,
                        true,
                        "routerlog-cluster.monitoring.svc.cluster.local"),
                1);
        JoinConfig join = c.getAdvancedNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("routerlog-cluster.monitoring.svc.cluster.local");
        assertThat(memberEndpoint(c).getInterfaces().isEnabled()).isFalse();
    }

    @Test
    void everyMapMergesBothSidesOfAPartition() {
        Config c = config(ClusterSettings.single(), 1);
        assertThat(c.getMapConfig(Store.PAIRS).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.ShardsByMember.class.getName());
        assertThat(c.getMapConfig(Store.OUTCOMES).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.ShardsByMember.class.getName());
        assertThat(c.getMapConfig(Store.REPLIES).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.CountersByMember.class.getName());
        assertThat(c.getMapConfig(Store.TUNNEL_COUNTERS).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.CountersByMember.class.getName());
        assertThat(c.getMapConfig(Store.TUNNEL_PEAKS).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.Highest.class.getName());
        assertThat(c.getMapConfig(Store.TUNNEL_SESSIONS).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.LatestSession.class.getName());
        assertThat(c.getMapConfig(Store.IDENTITIES).getMergePolicyConfig().getPolicy())
                .isEqualTo(MergePolicies.LatestIdentity.class.getName());
    }

    @Test
    void mergePoliciesCombineBothSides() {
        UUID a = new UUID(0, 1);
        UUID b = new UUID(0, 2);
        MemberCounts left = MemberCounts.of(a, 10, 3).plus(b, 4, 1);
        MemberCounts right = MemberCounts.of(a, 7, 2).plus(b, 9, 2);
        assertThat(((MemberCounts) new MergePolicies.CountersByMember().combine(left, right)).sum())
                .isEqualTo(19);
        assertThat(new MergePolicies.Highest().combine(5L, 8L)).isEqualTo(8L);
        TunnelLabels gb = new TunnelLabels("t", "GB", 1);
        TunnelLabels de = new TunnelLabels("t", "DE", 2);
        TunnelSession s = (TunnelSession) new MergePolicies.LatestSession()
                .combine(new TunnelSession(100, gb, 500, gb), new TunnelSession(50, de, 400, de));
        assertThat(s.firstSeenMillis()).isEqualTo(50);
        assertThat(s.firstLabels()).isEqualTo(de);
        assertThat(s.lastSeenMillis()).isEqualTo(500);
        assertThat(s.labels()).isEqualTo(gb);
        DhcpIdentity newer = new DhcpIdentity("aa", "new", 20);
        assertThat(new MergePolicies.LatestIdentity().combine(new DhcpIdentity("aa", "old", 10), newer))
                .isEqualTo(newer);
    }
}
