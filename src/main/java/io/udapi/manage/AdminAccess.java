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
 * <p>Paths are relative to {@code /admin/v1/}: the first segment names the collection. A path that names no
 * collection ({@code me}, or one the REST layer then answers 404) requires only a valid admin.
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
