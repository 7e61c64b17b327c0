package io.routerlog.source;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The lease file to learn DHCP identities from, and the router they belong to.
 *
 * @param file   the dnsmasq lease file, when there is one
 * @param router the router whose DHCP server writes it: its identities join that router's clients
 */
public record LeasesSettings(Optional<Path> file, String router) {}
