package io.udapi.manage;

import io.udapi.user.Permission;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of what the management API requires (the permission column of docs/api.md, "Endpoints"), decided from the method and
 * the normalised path alone, so that {@link AdminGate} can refuse a request before its body is read. Resources
 * do not check permissions again: this table is the rule.
 *
 * <p>Paths are relative to {@code /admin/v1/}: the first segment names the collection. {@code me} requires only
 * a valid admin; a path that names no collection is answered 404 by the gate ({@link #namesACollection}).
 */
final class AdminAccess {

    /** Writes: the only methods whose body changes something; their media type is checked (CSRF defence). */
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private AdminAccess() {
    }

    /**
     * @param relative the normalised path after {@code /admin/v1/}, e.g. {@code tokens/42/rotate}
     * @return the permission the request needs, or empty when any authenticated admin may make it
     */
    static Optional<Permission> required(HttpMethod method, String relative) {
        int slash = relative.indexOf('/');
        String collection = (slash < 0 ? relative : relative.substring(0, slash)).toLowerCase(Locale.ROOT);
        String rest = slash < 0 ? "" : relative.substring(slash + 1);
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        return Optional.ofNullable(switch (collection) {
            case "tokens" -> read ? Permission.TOKENS_READ
                    : method == HttpMethod.DELETE || rest.equals("revoke") ? Permission.TOKENS_DELETE
                    : Permission.TOKENS_WRITE;
            case "definitions" -> read ? Permission.DEFINITIONS_READ
                    : method == HttpMethod.DELETE ? Permission.DEFINITIONS_DELETE
                    : Permission.DEFINITIONS_WRITE;
            case "events", "stats" -> Permission.EVENTS_READ;
            case "users" -> Permission.USERS_MANAGE;
            default -> null;
        });
    }

    /** The collections of the management API; the gate answers 404 for any other, so no path is allowed by default. */
    private static final Set<String> COLLECTIONS = Set.of("tokens", "definitions", "events", "stats", "users", "me");

    /** Whether {@code relative} names a collection (or {@code me}); any other path is answered 404 by the gate. */
    static boolean namesACollection(String relative) {
        int slash = relative.indexOf('/');
        return COLLECTIONS.contains((slash < 0 ? relative : relative.substring(0, slash)).toLowerCase(Locale.ROOT));
    }

    /** {@code /admin} or below it: the console and the management API. */
    static boolean isAdminPath(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    /**
     * The path as the REST layer routes it: RESTEasy Reactive drops each segment's matrix parameters, from a
     * {@code ;} to the segment's end, so {@code /admin;x/v1/users} and {@code /admin/v1/users;x} both reach
     * {@code /admin/v1/users}.
     */
    static String withoutMatrixParameters(String path) {
        StringBuilder routed = new StringBuilder(path.length());
        boolean inParameters = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                inParameters = false;
            } else if (c == ';') {
                inParameters = true;
            }
            if (!inParameters) {
                routed.append(c);
            }
        }
        return routed.toString();
    }

    /** {@code tokens/revoke/} as the REST layer matches it: {@code tokens/revoke}. */
    static String withoutTrailingSlashes(String relative) {
        int end = relative.length();
        while (end > 0 && relative.charAt(end - 1) == '/') {
            end--;
        }
        return relative.substring(0, end);
    }

    static boolean isWrite(HttpMethod method) {
        return WRITES.contains(method);
    }

    /**
     * Whether a write's {@code Content-Type} is one docs/api.md accepts: {@code application/json}, and for
     * {@code PATCH} also {@code application/merge-patch+json}; compared case-insensitively, parameters
     * ignored. A missing type is refused too: a cross-site page can send a body-less POST with none.
     */
    static boolean acceptsMediaType(HttpMethod method, String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || method == HttpMethod.PATCH && type.equals("application/merge-patch+json");
    }
}
