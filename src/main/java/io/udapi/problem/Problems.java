package io.udapi.problem;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every management-API refusal is built here, so messages read alike: they state the value (never a
 * secret or password), the rule and what to do.
 */
public final class Problems {

    private Problems() {
    }

    public static Problem of(Reason reason, String id, String message) {
        return new Problem(reason, id, message, Map.of());
    }

    public static Problem invalid(Reason reason, String id, String rule) {
        return new Problem(reason, id, rule, Map.of());
    }

    public static Problem malformed(String what) {
        return of(Reason.MalformedRequest, null, what);
    }

    public static Problem notFound(String kind, String id) {
        return of(Reason.NotFound, id, kind + " '" + id + "' does not exist");
    }

    public static Problem nameInUse(String id, String name) {
        return of(Reason.NameInUse, id, "the name '" + name + "' is used by another object (names are case-insensitive)");
    }

    public static Problem secretInUse(String id) {
        return of(Reason.InvalidSecret, id, "this secret is already used by another token; choose another one");
    }

    public static Problem tokenInUse(String tokenId, Collection<String> definitionIds) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("apiDefinitionIdLinks", List.copyOf(definitionIds));
        return new Problem(Reason.TokenInUse, tokenId,
                "the token is allowed by " + definitionIds.size() + " definition(s); remove it from them first, or disable it",
                fields);
    }

    public static Problem invalidRoute(String id, String route, String rule) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", route);
        return new Problem(Reason.InvalidRoute, id, rule, fields);
    }

    public static Problem routeInUse(String id, String route, String conflictingDefinitionId, String conflictingRoute) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("route", route);
        fields.put("conflictingDefinitionId", conflictingDefinitionId);
        return new Problem(Reason.RouteInUse, id, "the route '" + route + "' conflicts with '" + conflictingRoute
                + "' of definition " + conflictingDefinitionId, fields);
    }

    public static Problem unknownTokens(String id, Collection<String> tokenIds) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tokenIds", List.copyOf(tokenIds));
        return new Problem(Reason.UnknownToken, id, "allowedTokens names tokens that do not exist: " + tokenIds, fields);
    }

    public static Problem versionMismatch(String id, String expected, long actual) {
        return of(Reason.VersionMismatch, id, "If-Match " + expected + " does not match the current version \"" + actual + "\"");
    }

    public static Problem storeUnavailable(String detail) {
        return of(Reason.StoreUnavailable, null, "the store is unavailable (" + detail + "); retry later");
    }

    /**
     * A cross-instance mutex ({@code what}) stayed with another instance's write longer than the wait:
     * nothing was changed, a retry succeeds once that write is done (or its lease has expired).
     */
    public static Problem busy(String what) {
        return of(Reason.StoreUnavailable, null, "another write of the same kind (" + what
                + ") is in progress on another instance; nothing was changed, retry in a moment");
    }

    public static Problem lastManager(String name) {
        return of(Reason.LastManager, name.toLowerCase(java.util.Locale.ROOT),
                "'" + name + "' is the last user holding users.manage; grant it to another user first");
    }
}
