package io.routerlog.testing;

import java.util.concurrent.TimeUnit;

/** Child processes started by tests. */
public final class Processes {
    private Processes() {
    }

    /**
     * Asks a process to stop (SIGTERM), gives it 30 seconds to shut down cleanly, then kills it. Keeps the
     * thread's interrupt flag if interrupted while waiting.
     */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
