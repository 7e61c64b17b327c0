package io.routerlog.event;

/** A change of the identity of an address. */
public sealed interface DhcpEvent permits DhcpLease, DhcpRelease {
    String ip();

    String mac();

    long seenAtMillis();
}
