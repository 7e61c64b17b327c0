package io.routerlog.export;

/**
 * The syslog TCP connection counts that {@link ReceiverCollector} exports. Declared here, where they are read, so
 * that export does not reach back up the flow into the listeners: the receive side implements it.
 */
public interface ConnectionStats {
    /** Connections open now. */
    int open();

    /** Connections accepted since the start. */
    long accepted();
}
