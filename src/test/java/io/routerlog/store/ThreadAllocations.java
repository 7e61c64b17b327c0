package io.routerlog.store;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by a fixed set of threads, for the allocation tests: a store's partition threads, which run its
 * entry processors, and the calling thread if asked. Other threads of the test JVM (other tests' leftovers) would
 * only add noise. The threads are chosen once, so that choosing them allocates nothing inside a measurement.
 */
final class ThreadAllocations {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long[] ids;

    private ThreadAllocations(long[] ids) {
        this.ids = ids;
    }

    /** The partition threads of {@code store}'s member, and the calling thread if {@code withCaller}. */
    static ThreadAllocations partitionThreads(Store store, boolean withCaller) {
        long caller = Thread.currentThread().getId();
        String prefix = "hz." + store.hazelcast().getName() + ".partition-operation.thread-";
        return new ThreadAllocations(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) || (withCaller && t.getId() == caller))
                .mapToLong(Thread::getId)
                .toArray());
    }

    /** How many threads are counted. */
    int threads() {
        return ids.length;
    }

    /** Bytes the threads allocated so far. */
    long allocated() {
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
