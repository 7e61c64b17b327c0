package io.routerlog.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.routerlog.RouterLog;
import io.routerlog.stats.Transport;
import java.time.Duration;
import java.util.List;

/**
 * Feeds a node in this JVM syslog lines over TCP: each batch on one connection, then waits until the node has read
 * every line sent so far and flushes, so that what follows sees them in the store.
 */
public final class NodeFeed {
    private final RouterLog node;
    private int sent;

    public NodeFeed(RouterLog node) {
        this.node = node;
    }

    /** Sends {@code prefix + line} for each line, newline-framed, and waits until they are counted and stored. */
    public void send(String prefix, List<String> lines) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String line : lines) {
            s.append(prefix).append(line).append('\n');
        }
        Senders.tcp(node.syslogPort(), s.toString());
        sent += lines.size();
        int expected = sent;
        assertThat(Waiting.upTo(
                        Duration.ofSeconds(20),
                        Duration.ofMillis(10),
                        () -> node.counters().messageCount(Transport.TCP) >= expected))
                .as("the node read %d frames", expected)
                .isTrue();
        node.flush();
    }
}
