package io.routerlog.testing;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.routerlog.store.ClusterSettings;
import io.routerlog.store.Store;
import io.routerlog.store.StoreSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Store members (real Hazelcast) of one cluster on loopback, each on a free port, all listing each other. */
public final class StoreCluster {
    private StoreCluster() {}

    /**
     * The settings of {@code size} members of a new cluster named after {@code prefix}.
     *
     * @param member makes a member's store settings from its cluster settings
     */
    public static List<StoreSettings> settings(int size, String prefix, Function<ClusterSettings, StoreSettings> member)
            throws IOException {
        int[] ports = new int[size];
        List<String> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports[i] = RouterLogProcess.freePortForUdpAndTcp();
            list.add("127.0.0.1:" + ports[i]);
        }
        String name = prefix + "-" + UUID.randomUUID();
        List<StoreSettings> settings = new ArrayList<>();
        for (int p : ports) {
            settings.add(member.apply(new ClusterSettings(list, p, name, "127.0.0.1", null, false, null)));
        }
        return settings;
    }

    /**
     * Starts a member for each of {@code settings} at once and waits until each sees all of them and no partition
     * is migrating: a member that starts in a cluster of two or more has the partitions assigned, so those the
     * members that came later take over move while the test would already count what each member owns.
     */
    public static List<Store> start(List<StoreSettings> settings) throws InterruptedException, ExecutionException {
        List<CompletableFuture<Store>> starting = new ArrayList<>();
        for (StoreSettings s : settings) {
            starting.add(CompletableFuture.supplyAsync(() -> Store.start(s)));
        }
        List<Store> members = new ArrayList<>();
        for (CompletableFuture<Store> s : starting) {
            members.add(s.get());
        }
        Waiting.upTo(
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                () -> members.stream().allMatch(m -> m.clusterSize() == settings.size()) && settled(settings));
        return members;
    }

    /** Whether no partition of the cluster of {@code settings} is migrating, asked of every member in this JVM. */
    private static boolean settled(List<StoreSettings> settings) {
        String cluster = settings.get(0).cluster().joinName();
        List<HazelcastInstance> members = Hazelcast.getAllHazelcastInstances().stream()
                .filter(hz -> hz.getConfig().getClusterName().equals(cluster))
                .toList();
        return members.size() == settings.size()
                && members.stream().allMatch(hz -> hz.getPartitionService().isClusterSafe());
    }
}
