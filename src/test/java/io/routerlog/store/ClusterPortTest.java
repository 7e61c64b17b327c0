package io.routerlog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import io.routerlog.testing.ListeningSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What a local process can do with a single node's cluster port. */
class ClusterPortTest {
    /** A Hazelcast client (the program a stranger would use) with the member's own cluster name and address. */
    static ClientConfig client(String clusterName, InetSocketAddress member) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(clusterName);
        c.setProperty("hazelcast.logging.type", "log4j2");
        c.getNetworkConfig().addAddress(member.getAddress().getHostAddress() + ":" + member.getPort());
        c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(3000);
        return c;
    }

    @Test
    void aHazelcastClientCannotConnectToASingleNode() throws Exception {
        try (Store store = Store.start(StoreSettings.singleNode(10_000, 1000, Duration.ofHours(1)))) {
            store.pairs()
                    .add(new HashMap<>(Map.of(new PairKey("r1", "192.168.1.20", "private.example", "A"), 1L)), 10_000);
            InetSocketAddress member = store.memberAddress();
            assertThat(member.getAddress().isLoopbackAddress()).isTrue();
            assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client(store.hazelcastClusterName(), member))
                            .shutdown())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Unable to connect");
            assertThat(store.pairs().size()).as("nothing read or cleared").isEqualTo(1);
        }
    }

    @Test
    void aSingleNodeListensForMembersOnLoopbackOnly() throws Exception {
        Assumptions.assumeTrue(ListeningSockets.available(), "reads /proc/net (Linux)");
        try (Store store = Store.start(StoreSettings.singleNode(10_000, 1000, Duration.ofHours(1)))) {
            assertThat(ListeningSockets.tcp(store.memberAddress().getPort()))
                    .isNotEmpty()
                    .allMatch(InetAddress::isLoopbackAddress);
        }
    }
}
