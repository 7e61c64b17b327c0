package io.routerlog.export;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * Closes HTTP connections that take longer than a timeout to send a request's line and headers: counted from the
 * connection's opening for its first request, and from the first byte of each further request that arrives while
 * no response is being written. Jetty's idle timeout alone does not do it: a client that sends one byte every few
 * seconds is never idle, and would hold its connection slot for as long as it likes.
 *
 * <p>Uses only what every Jetty connection reports (requests and responses begun, bytes read), checked by one task
 * a few times per timeout; a connection of another kind (the TLS layer under HTTP) is left alone, its HTTP
 * connection is watched instead. Added to a connector as a bean, it is a listener of each connection it opens.
 */
final class HeaderTimeout extends AbstractLifeCycle implements Connection.Listener {
    private final AbstractConnector connector;
    private final long timeoutNanos;
    private final long checkMillis;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private volatile Scheduler.@Nullable Task next;

    /** What is known of one connection since the last check. */
    private static final class Watch {
        long requests;
        long bytesAtRequest;
        /** When the connection began waiting for a request's headers, or -1 while it is not. */
        long waitingSince;

        Watch(long openedAt) {
            waitingSince = openedAt;
        }
    }

    HeaderTimeout(AbstractConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeoutNanos = timeout.toNanos();
        this.checkMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection.getMessagesIn() >= 0) { // an HTTP connection (the TLS layer reports -1)
            watched.put(connection, new Watch(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
        watched.clear();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = connector.getScheduler().schedule(this::check, checkMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        try {
            long now = System.nanoTime();
            watched.forEach((connection, w) -> {
                if (tooSlow(connection, w, now)) {
                    watched.remove(connection);
                    connection.getEndPoint().close();
                }
            });
        } finally {
            schedule();
        }
    }

    /** Updates what is known of {@code connection}; true when it has been sending headers for too long. */
    private boolean tooSlow(Connection connection, Watch w, long now) {
        long requests = connection.getMessagesIn(); // counted once a request's headers are complete
        long bytes = connection.getBytesIn();
        if (requests != w.requests) {
            w.requests = requests;
            w.bytesAtRequest = bytes;
            w.waitingSince = -1;
        }
        if (connection.getMessagesOut() < requests) { // a request is being handled, its response not begun
            w.waitingSince = -1;
            return false;
        }
        if (w.waitingSince < 0) {
            if (bytes > w.bytesAtRequest) { // the first bytes of the next request
                w.waitingSince = now;
            }
            return false;
        }
        return now - w.waitingSince > timeoutNanos;
    }
}
