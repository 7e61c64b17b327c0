package io.routerlog.store;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Hazelcast completes the futures of the map's asynchronous calls ({@code submitToKey}, {@code submitToKeys}):
 * each such future hands its result on through Hazelcast's default asynchronous executor. That executor is the
 * common fork-join pool when the pool has more than one thread, and otherwise a new thread per completion, which is
 * the case on machines with one or two CPUs (the common pool gets one fewer thread than the CPUs). There, a node
 * started and ended a thread for every query log chunk it wrote, every client's seen-time update and every tunnel
 * session it touched: about 150 threads a second under a flood of queries, which cost about a seventh of its TCP
 * rate.
 *
 * <p>On such machines the completions run on a pool of reused daemon threads instead: as many as are busy at
 * once (one, nearly always, since a completion only passes a result on), each ending after a minute without work.
 * Elsewhere Hazelcast's choice stays. The executor is a setting of the JVM, not of one member: it is set once, for
 * every member this JVM runs.
 */
final class AsyncCompletions {
    private static final long KEEP_ALIVE_SECONDS = 60;

    private static boolean installed;

    private AsyncCompletions() {}

    /** Installs the reused pool when Hazelcast would start a thread per completion; once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        if (ForkJoinPool.getCommonPoolParallelism() <= 1) {
            ConcurrencyUtil.setDefaultAsyncExecutor(pool());
        }
    }

    /** Unbounded like the thread per completion it replaces, so that no completion ever waits for another. */
    @SuppressWarnings("ThreadPriorityCheck") // a lower priority for background work is the point
    static Executor pool() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "routerlog-store-completion-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY); // as the store's other threads (Store#inBackground)
                    return t;
                });
    }
}
