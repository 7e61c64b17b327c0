package io.routerlog.it;

import io.routerlog.testing.Http;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * routerlog nodes started from the packaged jar on free loopback ports, forming one cluster, for tests outside this
 * package.
 */
public final class RouterLogNodes implements AutoCloseable {
    private final List<RouterLogProcess> nodes;

    private RouterLogNodes(List<RouterLogProcess> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts {@code size} nodes in parallel, each with {@code args}, in a cluster of their own on loopback, and
     * returns once every node is healthy and sees {@code size} members.
     */
    public static RouterLogNodes startCluster(int size, List<String> args) throws Exception {
        int[] member = new int[size];
        for (int i = 0; i < size; i++) {
            member[i] = RouterLogProcess.freePortForUdpAndTcp();
        }
        String members = java.util.Arrays.stream(member).mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(","));
        String name = "rl-" + Long.toHexString(System.nanoTime());
        ExecutorService pool = Executors.newFixedThreadPool(size);
        List<Future<RouterLogProcess>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> all = new ArrayList<>(List.of("--cluster-name", name,
                    "--cluster-port", Integer.toString(member[i]), "--cluster-interface", "127.0.0.1",
                    "--cluster-members", members));
            all.addAll(args);
            starting.add(pool.submit(() -> RouterLogProcess.start(RouterLogProcess.freePortForUdpAndTcp(),
                    RouterLogProcess.freePortForUdpAndTcp(), List.of(), all)));
        }
        pool.shutdown();
        List<RouterLogProcess> started = new ArrayList<>();
        Exception failure = null;
        for (Future<RouterLogProcess> f : starting) {
            try {
                started.add(f.get(120, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failure = failure == null ? e : failure;
            }
        }
        RouterLogNodes n = new RouterLogNodes(started);
        if (failure != null) {
            n.close();
            throw new IllegalStateException("a routerlog node did not start", failure);
        }
        try {
            n.awaitMembers(size);
        } catch (Exception | Error e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void awaitMembers(int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (RouterLogProcess p : nodes) {
                Double m = Http.metrics(p.httpPort).value("routerlog_cluster_members");
                all &= m != null && m == size;
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the nodes did not form a cluster of " + size);
    }

    public int size() {
        return nodes.size();
    }

    /** Syslog port (UDP and TCP) of node {@code i}. */
    public int syslogPort(int i) {
        return nodes.get(i).syslogPort;
    }

    /** /metrics port of node {@code i}. */
    public int httpPort(int i) {
        return nodes.get(i).httpPort;
    }

    /** What node {@code i} wrote to standard output so far. */
    public String output(int i) throws IOException {
        return nodes.get(i).output();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (RouterLogProcess p : nodes) {
            try {
                p.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
