package io.routerlog.config;

import java.util.OptionalInt;

/**
 * A host with an optional port, as the options write it: {@code host}, {@code host:port}, {@code [v6]:port} or a
 * bare IPv6 address. The one parser of that form, for the cluster's member list and public address and the load
 * generator's target, so that all of them accept and refuse the same text.
 *
 * @param host a name or an address literal, without brackets
 * @param port the port, when the text gave one
 */
public record HostPort(String host, OptionalInt port) {

    /**
     * Parses {@code text} (blanks around it ignored).
     *
     * @throws IllegalArgumentException "'TEXT' is not host[:port]" or "'TEXT' has no valid port"
     */
    public static HostPort parse(String text) {
        String value = text.strip();
        String host = value;
        String port = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + value + "' is not host[:port]");
            }
            host = value.substring(1, close);
            if (close + 1 < value.length()) {
                if (value.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + value + "' is not host[:port]");
                }
                port = value.substring(close + 2);
            }
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            host = value.substring(0, value.indexOf(':'));
            port = value.substring(value.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.contains(" ")) {
            throw new IllegalArgumentException("'" + value + "' is not host[:port]");
        }
        if (port == null) {
            return new HostPort(host, OptionalInt.empty());
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("'" + value + "' has no valid port");
        }
        return new HostPort(host, OptionalInt.of(p));
    }

    /** The port, or {@code fallback} when none was given. */
    public int portOr(int fallback) {
        return port.orElse(fallback);
    }

    /** The text form {@link #parse} reads back: an IPv6 host in brackets when a port follows it. */
    @Override
    public String toString() {
        if (port.isEmpty()) {
            return host;
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port.getAsInt();
    }
}
