package io.routerlog.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Domains never measured nor flagged: those the user accepts, and lookup services that ask through DNS by design
 * (block lists, anti-virus reputation lookups), whose names are many, long and random because they carry a
 * hash or an address. A name matches a domain when it is the domain or under it.
 */
public final class AllowList {
    /**
     * Services that look things up by encoding them in query names: DNS block lists (an address or a domain below
     * the list's zone) and anti-virus reputation lookups (a file or URL hash).
     */
    public static final List<String> KNOWN_LOOKUPS = List.of(
            // DNS block lists
            "spamhaus.org",
            "spamhaus.net",
            "spamcop.net",
            "sorbs.net",
            "barracudacentral.org",
            "surbl.org",
            "uribl.com",
            "mailspike.net",
            "abuseat.org",
            "dnswl.org",
            "senderscore.com",
            "junkemailfilter.com",
            "mailshell.net",
            // anti-virus reputation lookups
            "sophosxl.net",
            "sophosxl.com",
            "mcafee.com",
            "trendmicro.com",
            "e5.sk",
            "cymru.com");

    private final Set<String> domains = new HashSet<>();
    /** Whether some domain has more labels than a registrable domain: then every suffix of a name is checked. */
    private final boolean deep;

    public AllowList(List<String> userDomains) {
        List<String> all = new ArrayList<>(KNOWN_LOOKUPS);
        all.addAll(userDomains);
        RegistrableDomains registrable = new RegistrableDomains();
        boolean anyDeep = false;
        for (String d : all) {
            domains.add(d);
            anyDeep |= registrable.start(d) != 0;
        }
        this.deep = anyDeep;
    }

    /** Whether {@code name}, whose registrable domain starts at {@code registrableStart}, is allowed. */
    public boolean allows(String name, int registrableStart) {
        if (domains.contains(registrableStart == 0 ? name : name.substring(registrableStart))) {
            return true;
        }
        if (!deep) {
            return false;
        }
        for (int dot = name.indexOf('.'); dot >= 0 && dot + 1 < registrableStart; dot = name.indexOf('.', dot + 1)) {
            if (domains.contains(name.substring(dot + 1))) {
                return true;
            }
        }
        return domains.contains(name);
    }
}
