package io.routerlog.export;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Where and how the HTTP endpoints are served.
 *
 * @param address local address
 * @param port    port; 0 picks a free one
 * @param tls     HTTPS, with the node's {@code --tls-cert} and {@code --tls-key}
 * @param login   the basic authentication every endpoint but {@code /healthz} requires, when it requires one
 */
public record HttpSettings(InetAddress address, int port, boolean tls, Optional<Login> login) {

    /**
     * A user and the bcrypt hash of its password ({@link #toString} leaves the hash out).
     */
    public record Login(String user, String passwordHash) {
        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }
}
