package io.routerlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A stop (SIGTERM's shutdown hook) can come at any moment, also before or while the node starts. */
class RouterLogStopTest {
    @Test
    void aNodeStoppedBeforeItStartsNeverStarts() throws Exception {
        RouterLog node = RouterLog.create(RouterLogTest.settings());
        node.close();
        assertThatThrownBy(() -> RouterLog.start(node))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped before it started");
        assertThat(stoppedWithin(node)).isTrue();
    }

    @Test
    void aStopWhileTheNodeStartsWaitsForTheStartAndThenStopsEverything() throws Exception {
        boolean startWon = false;
        // the stop comes at once, then later and later into the start, then after it
        for (int round = 0; round < 6; round++) {
            RouterLog node = RouterLog.create(RouterLogTest.settings());
            CompletableFuture<RouterLog> starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return RouterLog.start(node);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(round * 300L);
            node.close();
            assertThat(stoppedWithin(node)).isTrue();
            try {
                RouterLog started = starting.get(60, TimeUnit.SECONDS);
                // the start won: the stop waited for it, so nothing it opened is left open
                int port = started.syslogPort();
                try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    assertThat(again.getLocalPort()).isEqualTo(port);
                }
                startWon = true;
            } catch (ExecutionException e) {
                // the stop won: the start refused to begin
                assertThat(e).hasRootCauseInstanceOf(IllegalStateException.class);
                assertThat(e.getCause()).hasMessageContaining("stopped before it started");
            }
        }
        assertThat(startWon).as("a start that ended before the stop").isTrue();
    }

    private static boolean stoppedWithin(RouterLog node) throws InterruptedException {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                node.awaitStop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            stopped.get(60, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
