package io.routerlog.geoip;

import io.routerlog.config.SettingException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The GeoIP databases of a node, opened when it starts.
 *
 * @param countryDb a MaxMind DB country database, when country labels are wanted
 * @param asnDb     a MaxMind DB ASN database, when AS labels are wanted
 */
public record GeoIpSettings(Optional<Path> countryDb, Optional<Path> asnDb) {

    /**
     * Opens the databases.
     *
     * @throws SettingException naming the option and the file when one is missing, unreadable, not a MaxMind DB,
     *                          or of the wrong kind
     */
    public GeoIp open() {
        return GeoIp.open(countryDb.orElse(null), asnDb.orElse(null));
    }
}
