package io.routerlog.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters of routerlog's value types, so that an option field holds the value it means (a
 * {@link Duration}, a byte count, a port, a {@link HostPort}) and each spelling is parsed in one place. A value
 * they refuse is a {@link BadValue}, whose message {@code routerlog} prints after the option's name, as the
 * checks of the option groups word theirs.
 */
public final class Converters {
    private Converters() {}

    /**
     * A value a converter refuses. {@link #problem} follows the option's name directly ({@code ": 'x' is not a
     * duration"} or {@code " must be between 0 and 65535: 70000"}).
     */
    public static final class BadValue extends TypeConversionException {
        private static final long serialVersionUID = 1L;

        private final String problem;

        public BadValue(String problem) {
            super(problem);
            this.problem = problem;
        }

        /** The message after the option's name. */
        public String problem() {
            return problem;
        }
    }

    /** {@code 500ms}, {@code 1s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO-8601 ({@link Units#duration}). */
    public static final class DurationValue implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Units.duration(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(": " + e.getMessage());
            }
        }
    }

    /** A byte count: {@code 65536}, {@code 64KiB}, {@code 4MiB} ({@link Units#bytes}). */
    public static final class SizeValue implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Units.bytes(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(": " + e.getMessage());
            }
        }
    }

    /** A TCP or UDP port, 0 to 65535 (0: any free one; an option that needs a fixed port checks that itself). */
    public static final class PortValue implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port;
            try {
                port = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                // as picocli words it for a plain int option
                throw new TypeConversionException("'" + value + "' is not an int");
            }
            if (port < 0 || port > 65535) {
                throw new BadValue(" must be between 0 and 65535: " + port);
            }
            return port;
        }
    }

    /** An address of this host (or a name that resolves to one), for a socket to listen on. */
    public static final class AddressValue implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            try {
                return InetAddress.getByName(value.strip());
            } catch (UnknownHostException e) {
                throw new BadValue(": '" + value + "' is not an address of this host");
            }
        }
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address ({@link HostPort#parse}). */
    public static final class HostPortValue implements ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return HostPort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(": " + e.getMessage());
            }
        }
    }
}
