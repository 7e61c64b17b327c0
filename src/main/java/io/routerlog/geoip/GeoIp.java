package io.routerlog.geoip;

import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CountryResponse;
import io.routerlog.config.FileReasons;
import io.routerlog.config.SettingException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Country and autonomous system of an address, from MaxMind DB files (GeoLite2-Country / GeoLite2-ASN or
 * compatible), read with MaxMind's GeoIP2 API. Either database is optional. Answers are cached, since the addresses
 * looked up (the resolvers that forward tunnel queries) repeat.
 */
public final class GeoIp implements AutoCloseable {
    /** Country code for an address that the database does not map. */
    public static final String UNMAPPED_COUNTRY = "ZZ";
    /** AS number for an address that the database does not map. */
    public static final long UNMAPPED_ASN = 0;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int CACHE_SIZE = 8192;

    private final @Nullable DatabaseReader countries;
    private final @Nullable DatabaseReader asns;
    private final Map<String, String> countryCache = lru();
    private final Map<String, Long> asnCache = lru();

    private GeoIp(@Nullable DatabaseReader countries, @Nullable DatabaseReader asns) {
        this.countries = countries;
        this.asns = asns;
    }

    /** No databases: every lookup answers "not configured". */
    public static GeoIp none() {
        return new GeoIp(null, null);
    }

    /**
     * Opens the databases given (either may be null).
     *
     * @throws SettingException naming the option and the file when one is missing, unreadable, not a MaxMind DB,
     *                          or of the wrong kind
     */
    public static GeoIp open(@Nullable Path countryDb, @Nullable Path asnDb) {
        DatabaseReader c = countryDb == null ? null : reader("--geoip-country-db", countryDb, "Country");
        DatabaseReader a;
        try {
            a = asnDb == null ? null : reader("--geoip-asn-db", asnDb, "ASN");
        } catch (IllegalArgumentException e) {
            closeQuietly(c);
            throw e;
        }
        return new GeoIp(c, a);
    }

    private static DatabaseReader reader(String option, Path file, String kind) {
        FileReasons.requireReadable(option, file);
        DatabaseReader r;
        try {
            r = new DatabaseReader.Builder(file.toFile())
                    .fileMode(Reader.FileMode.MEMORY)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new SettingException(option, file + " is not a MaxMind DB file (" + e.getMessage() + ")", e);
        }
        String type = r.metadata().databaseType();
        if (type == null || !type.contains(kind)) {
            closeQuietly(r);
            throw new SettingException(
                    option,
                    file + " is a " + type + " database, not a " + kind + " database (such as GeoLite2-" + kind + ")");
        }
        return r;
    }

    public boolean hasCountries() {
        return countries != null;
    }

    public boolean hasAsns() {
        return asns != null;
    }

    /** ISO country code of the address, {@value #UNMAPPED_COUNTRY} when unmapped, null without a country database. */
    public synchronized @Nullable String country(String address) {
        if (countries == null) {
            return null;
        }
        return countryCache.computeIfAbsent(address, a -> {
            InetAddress ip = literal(a);
            if (ip == null) {
                return UNMAPPED_COUNTRY;
            }
            try {
                Optional<CountryResponse> r = countries.tryCountry(ip);
                String iso = r.map(x -> x.country().isoCode()).orElse(null);
                return iso == null ? UNMAPPED_COUNTRY : iso;
            } catch (IOException | GeoIp2Exception | RuntimeException e) {
                return UNMAPPED_COUNTRY;
            }
        });
    }

    /** AS number of the address, {@value #UNMAPPED_ASN} when unmapped, -1 without an ASN database. */
    public synchronized long asn(String address) {
        if (asns == null) {
            return -1;
        }
        return asnCache.computeIfAbsent(address, a -> {
            InetAddress ip = literal(a);
            if (ip == null) {
                return UNMAPPED_ASN;
            }
            try {
                Optional<AsnResponse> r = asns.tryAsn(ip);
                Long n = r.map(AsnResponse::autonomousSystemNumber).orElse(null);
                return n == null ? UNMAPPED_ASN : n;
            } catch (IOException | GeoIp2Exception | RuntimeException e) {
                return UNMAPPED_ASN;
            }
        });
    }

    /** The address as an InetAddress when it is an IP literal (zone removed); never a DNS lookup. */
    static @Nullable InetAddress literal(String address) {
        int zone = address.indexOf('%');
        String a = zone >= 0 ? address.substring(0, zone) : address;
        try {
            if (IPV4.matcher(a).matches()) {
                String[] parts = a.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return null;
                    }
                    bytes[i] = (byte) v;
                }
                return InetAddress.getByAddress(bytes);
            }
            // a literal with ':' is parsed as IPv6, never looked up
            return a.indexOf(':') >= 0 ? InetAddress.getByName(a) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_SIZE;
            }
        };
    }

    private static void closeQuietly(@Nullable DatabaseReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // nothing held that matters
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(countries);
        closeQuietly(asns);
    }
}
