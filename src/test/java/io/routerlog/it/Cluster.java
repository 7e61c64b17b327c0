package io.routerlog.it;

import io.routerlog.testing.Exposition;
import io.routerlog.testing.Http;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Several routerlog processes on loopback that form one cluster, each on ports of its own that survive restarts. */
final class Cluster implements AutoCloseable {
    final int size;
    final int[] syslog;
    final int[] http;
    final int[] member;
    final RouterLogProcess[] nodes;
    private final String name = "it-" + Long.toHexString(System.nanoTime());
    /** Environment of every node (ROUTERLOG_CLUSTER_SECRET, say). */
    private final java.util.Map<String, String> env;

    Cluster(int size) throws IOException {
        this(size, java.util.Map.of());
    }

    Cluster(int size, java.util.Map<String, String> env) throws IOException {
        this.size = size;
        this.env = env;
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

    /** Starts every node and waits until they see each other. */
    Cluster startAll() throws Exception {
        for (int i = 0; i < size; i++) {
            start(i);
        }
        awaitMembers(size);
        return this;
    }

    String name() {
        return name;
    }

    /** The --cluster-members list of the nodes. */
    String members() {
        return java.util.Arrays.stream(member).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    void start(int i) throws Exception {
        nodes[i] = RouterLogProcess.start(syslog[i], http[i], List.of(), List.of(
                "--cluster-name", name, "--cluster-port", Integer.toString(member[i]),
                "--cluster-interface", "127.0.0.1", "--cluster-members", members()), env);
    }

    List<Integer> alive() {
        List<Integer> a = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (nodes[i] != null && nodes[i].process.isAlive()) {
                a.add(i);
            }
        }
        return a;
    }

    /** Waits until every live node of this cluster object sees {@code n} members. */
    void awaitMembers(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i : alive()) {
                Double m = Http.metrics(http[i]).value("routerlog_cluster_members");
                all &= m != null && m == n;
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the cluster did not reach " + n + " members");
    }

    /** Sum of routerlog_dns_queries_total over the live nodes, each showing the pairs it owns. */
    long ownedTotal() throws Exception {
        long total = 0;
        for (int i : alive()) {
            total += sum(Http.metrics(http[i]));
        }
        return total;
    }

    /** Sum of routerlog_dns_queries_total as one node sees the whole cluster ({@code scope=cluster}). */
    long clusterTotal(int node) throws Exception {
        return sum(Http.metrics(http[node], "/metrics?scope=cluster"));
    }

    static long sum(Exposition m) {
        return (long) m.samples("routerlog_dns_queries_total").stream().mapToDouble(Exposition.Sample::value).sum();
    }

    /**
     * Polls the owned sum over the live nodes until it equals the cluster view of the first live node twice in a
     * row (partitions have settled), and returns it.
     */
    long settledTotal() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long previous = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long owned = ownedTotal();
            long cluster = clusterTotal(alive().get(0));
            if (owned == cluster && owned == previous) {
                return owned;
            }
            previous = owned == cluster ? owned : -1;
        }
        throw new AssertionError("totals did not settle: owned " + ownedTotal() + ", cluster "
                + clusterTotal(alive().get(0)));
    }

    @Override
    public void close() throws IOException {
        for (RouterLogProcess n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }
}
