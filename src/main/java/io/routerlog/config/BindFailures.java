package io.routerlog.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a socket that could not be bound means for the user. A bind fails for one of three reasons:
 * <ul>
 *   <li>the address is not one of this host's: a bad setting ({@link SettingException} on the address option);</li>
 *   <li>the port is below the unprivileged range and routerlog lacks CAP_NET_BIND_SERVICE: a bad setting too (on
 *       the port option);</li>
 *   <li>anything else, mostly a port in use: something a later start may not meet, a plain {@link BindException}.</li>
 * </ul>
 * The first two are decided from the host's interfaces and routerlog's capabilities rather than from the error's
 * text, which the C library may translate.
 */
public final class BindFailures {
    /** CAP_NET_BIND_SERVICE's bit in the capability sets of /proc/self/status. */
    private static final int CAP_NET_BIND_SERVICE = 10;

    private BindFailures() {}

    /**
     * Explains a failed bind.
     *
     * @param doing         what failed, for the message ("listen on tcp", "serve HTTP on")
     * @param addressOption the option that gave the address
     * @param portOption    the option that gave the port
     * @return the exception to throw when the setting itself is fine (a port in use, say)
     * @throws SettingException when the address is not on this host or the port needs a privilege routerlog lacks
     */
    public static BindException explain(
            String doing, String addressOption, String portOption, InetSocketAddress where, Throwable cause) {
        InetAddress address = where.getAddress();
        int port = where.getPort();
        if (!isLocal(address)) {
            throw new SettingException(
                    addressOption, address.getHostAddress() + " is not an address of this host", cause);
        }
        if (needsPrivilege(port)) {
            throw new SettingException(
                    portOption,
                    "port " + port + " needs root or the CAP_NET_BIND_SERVICE " + "capability (or use a port from "
                            + unprivilegedPortStart() + " up)",
                    cause);
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Netty's native transport says "bind(..) failed with error(-98): Address already in use"
        reason = reason.replaceFirst("^bind\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
        BindException e =
                new BindException("cannot " + doing + " " + address.getHostAddress() + " port " + port + ": " + reason);
        e.initCause(cause);
        return e;
    }

    /**
     * Fails when {@code port} is one routerlog may not bind (checked before a component that binds it itself, such
     * as Hazelcast, gets to fail in its own words).
     *
     * @throws SettingException naming {@code portOption}
     */
    public static void checkPortAllowed(String portOption, int port) {
        if (needsPrivilege(port)) {
            throw new SettingException(
                    portOption,
                    "port " + port + " needs root or the CAP_NET_BIND_SERVICE " + "capability (or use a port from "
                            + unprivilegedPortStart() + " up)");
        }
    }

    /** True for the wildcard address, the loopback range and every address of a local interface. */
    public static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: let the bind's own error speak
        }
    }

    /** True when binding {@code port} needs CAP_NET_BIND_SERVICE and routerlog does not have it. */
    static boolean needsPrivilege(int port) {
        return port > 0 && port < unprivilegedPortStart() && !hasCapability(CAP_NET_BIND_SERVICE);
    }

    /** net.ipv4.ip_unprivileged_port_start (1024 where it cannot be read). */
    static int unprivilegedPortStart() {
        try {
            // (Files.readString trusts the size /proc reports and reads too little)
            return Integer.parseInt(Files.readAllLines(
                            Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"), StandardCharsets.US_ASCII)
                    .get(0)
                    .strip());
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
    }

    /** True when the process has the capability in its effective set (or when that cannot be read). */
    static boolean hasCapability(int bit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).strip(), 16);
                    return (caps & (1L << bit)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: let the bind's own error speak
        }
        return true;
    }
}
