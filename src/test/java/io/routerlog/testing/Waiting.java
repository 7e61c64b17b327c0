package io.routerlog.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How tests wait for what another thread or process does: Awaitility, set up once the way these tests need it. The
 * condition is checked at once and then every {@code every}, in the test's own thread, as a test's own loop would
 * check it: no extra thread, and an uncaught exception on another thread (the receive path logs and counts those
 * itself) does not end the wait.
 */
public final class Waiting {
    private Waiting() {}

    /** Fails with a {@link ConditionTimeoutException} if the condition does not hold within {@code timeout}. */
    public static ConditionFactory atMost(Duration timeout, Duration every) {
        return Awaitility.await()
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(every)
                .pollInSameThread()
                .dontCatchUncaughtExceptions();
    }

    /**
     * Waits until {@code condition} holds or {@code timeout} has passed, and says which, without failing: for a test
     * whose own assertions afterwards tell what is missing, with more context than a timeout could.
     */
    public static boolean upTo(Duration timeout, Duration every, Callable<Boolean> condition) {
        try {
            atMost(timeout, every).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
