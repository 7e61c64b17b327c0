package io.routerlog.event;

/** A change of the identity of an address. */
public sealed interface DhcpEvent permits DhcpLease, DhcpRelease {
    /** The router whose DHCP server reported it: identities are kept per router and address. */
    String router();

    String ip();

    String mac();

    long seenAtMillis();
}
