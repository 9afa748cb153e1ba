package io.udapi.manage;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host names under which the management API and the console answer (docs/security.md, "DNS rebinding").
 * A hostile page that an admin opens can rebind its own name to udapi's address; the browser then treats udapi as
 * that page's origin, sends the page's requests to it with the page's name in {@code Host}, and lets the page read
 * the answers (it can then guess admin passwords from inside the network). Every request whose {@code Host} is not
 * udapi's own is refused, before authentication. Always allowed: IP literals (a page cannot make a browser send one
 * unless it was loaded from that address) and {@code localhost} with its subdomains (browsers resolve them to
 * loopback themselves); beyond those, only the names of {@code udapi.admin.allowed-hosts}: exact names, compared
 * ignoring ASCII case, {@code *.example.com} for every subdomain of a name, or {@code *} for any host.
 */
record AllowedHosts(List<String> names) {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

    AllowedHosts {
        names = names.stream().map(String::trim).filter(n -> !n.isEmpty()).map(AllowedHosts::lower).toList();
    }

    /** Whether a request with this {@code Host} header (name or address, with or without a port) is served. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = lower(withoutPort(hostHeader.trim()));
        if (host.isEmpty()) {
            return false; // no host, or a malformed one
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1); // the fully qualified form names the same host
        }
        if (IPV6.matcher(host).matches() || IPV4.matcher(host).matches()
                || host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        for (String name : names) {
            if (name.equals("*") || name.equals(host)
                    || (name.startsWith("*.") && host.endsWith(name.substring(1)) && host.length() > name.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            // an IPv6 literal, alone or with a port; anything else after it, or a broken one, allows nothing
            return end < 0 || !portOrNothing(host.substring(end + 1)) ? "" : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        if (colon < 0) {
            return host;
        }
        return portOrNothing(host.substring(colon)) ? host.substring(0, colon) : "";
    }

    /** {@code ""} or {@code :} and digits: what may follow a host in {@code Host}. */
    private static boolean portOrNothing(String rest) {
        return rest.isEmpty() || rest.matches(":[0-9]{1,5}");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT); // host names are ASCII; an IDN arrives in its xn-- form
    }
}
