package io.routerlog.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Several routerlog processes started from the packaged jar on loopback that form one cluster, each on ports of its
 * own that survive restarts. {@link #startAll} starts the nodes one after another, each once it is healthy: that is
 * how the members of a cluster of three come up without racing for who forms it.
 */
public final class Cluster implements AutoCloseable {
    public final int size;
    public final int[] syslog;
    public final int[] http;
    public final int[] member;
    public final RouterLogProcess[] nodes;
    private final String name = "it-" + Long.toHexString(System.nanoTime());
    /** Environment of every node (ROUTERLOG_CLUSTER_SECRET, say). */
    private final Map<String, String> env;
    /** Options of every node after the cluster's own. */
    private final List<String> args;

    public Cluster(int size) throws IOException {
        this(size, Map.of());
    }

    public Cluster(int size, Map<String, String> env) throws IOException {
        this(size, env, List.of());
    }

    /** Nodes that run with {@code env} added to their environment and {@code args} after the cluster options. */
    public Cluster(int size, Map<String, String> env, List<String> args) throws IOException {
        this.size = size;
        this.env = env;
        this.args = List.copyOf(args);
        syslog = new int[size];
        http = new int[size];
        member = new int[size];
        nodes = new RouterLogProcess[size];
        for (int i = 0; i < size; i++) {
            syslog[i] = RouterLogProcess.freePortForUdpAndTcp();
            http[i] = RouterLogProcess.freePortForUdpAndTcp();
            member[i] = RouterLogProcess.freePortForUdpAndTcp();
        }
    }

    /**
     * Starts every node and waits until they see each other. Stops the nodes it started if that fails, since the
     * caller's try-with-resources never gets this cluster to close.
     */
    public Cluster startAll() throws Exception {
        try {
            for (int i = 0; i < size; i++) {
                start(i);
            }
            awaitMembers(size);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** The --cluster-members list of the nodes. */
    public String members() {
        return Arrays.stream(member).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Starts node {@code i} (again) on its own ports and returns once it is healthy. */
    public void start(int i) throws Exception {
        List<String> all = new ArrayList<>(List.of(
                "--cluster-name",
                name,
                "--cluster-port",
                Integer.toString(member[i]),
                "--cluster-interface",
                "127.0.0.1",
                "--cluster-members",
                members()));
        all.addAll(args);
        nodes[i] = RouterLogProcess.start(syslog[i], http[i], List.of(), all, env);
    }

    public List<Integer> alive() {
        List<Integer> a = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (nodes[i] != null && nodes[i].process.isAlive()) {
                a.add(i);
            }
        }
        return a;
    }

    /** Waits until every live node of this cluster object sees {@code n} members. */
    public void awaitMembers(int n) throws Exception {
        boolean formed = Waiting.upTo(Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
            boolean all = true;
            for (int i : alive()) {
                Double m = Http.metrics(http[i]).value("routerlog_cluster_members");
                all &= m != null && m == n;
            }
            return all;
        });
        if (!formed) {
            throw new AssertionError("the cluster did not reach " + n + " members");
        }
    }

    /** Sum of routerlog_dns_queries_total over the live nodes, each showing the pairs it owns. */
    public long ownedTotal() throws Exception {
        long total = 0;
        for (int i : alive()) {
            total += sum(Http.metrics(http[i]));
        }
        return total;
    }

    /** Pairs whose counts wait for the store on the live nodes, after a flush the store did not take. */
    public long pendingPairs() throws Exception {
        long pending = 0;
        for (int i : alive()) {
            Double p = Http.metrics(http[i]).value("routerlog_store_pending_pairs");
            pending += p == null ? 0 : p.longValue();
        }
        return pending;
    }

    /** Sum of routerlog_dns_queries_total as one node sees the whole cluster ({@code scope=cluster}). */
    public long clusterTotal(int node) throws Exception {
        return sum(Http.metrics(http[node], "/metrics?scope=cluster"));
    }

    public static long sum(Exposition m) {
        return (long) m.samples("routerlog_dns_queries_total").stream()
                .mapToDouble(Exposition.Sample::value)
                .sum();
    }

    /**
     * Polls the owned sum over the live nodes until it equals the cluster view of the first live node twice in a
     * row (partitions have settled), and returns it.
     */
    public long settledTotal() throws Exception {
        AtomicLong previous = new AtomicLong(-1);
        Duration every = Duration.ofMillis(500);
        try {
            Waiting.atMost(Duration.ofSeconds(60), every).pollDelay(every).until(() -> {
                long owned = ownedTotal();
                long cluster = clusterTotal(alive().get(0));
                // counts a failed flush keeps for the next one are late, not lost: wait for them too
                boolean settled = owned == cluster && owned == previous.get() && pendingPairs() == 0;
                previous.set(owned == cluster ? owned : -1);
                return settled;
            });
            return previous.get();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "totals did not settle: owned " + ownedTotal() + ", cluster " + clusterTotal(alive().get(0)));
        }
    }

    /** Stops every node that was started, each even if stopping another failed. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (RouterLogProcess n : nodes) {
            if (n != null) {
                try {
                    n.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
