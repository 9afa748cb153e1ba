package io.udapi.definition;

import io.udapi.audit.Stamp;
import io.udapi.audit.Versioned;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user-defined API: a route under {@code /api/custom/} and the script it runs for the allowed tokens.
 *
 * @param name          null or non-blank, at most 100 characters
 * @param description   null or at most 2000 characters
 * @param route         a valid route template (see {@code io.udapi.route.RoutePattern})
 * @param allowedTokens ids of existing tokens; empty = nobody may call it
 */
public record ApiDefinition(String id, String name, String description, String route, Set<String> allowedTokens,
                            ActionType actionType, ActionMeta actionMeta, Stamp stamp, long version)
        implements Versioned {

    public ApiDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(actionMeta, "actionMeta");
        Objects.requireNonNull(stamp, "stamp");
        allowedTokens = Set.copyOf(allowedTokens);
    }

    public ApiDefinition with(String newName, String newDescription, String newRoute, Set<String> newTokens,
                              ActionType newType, ActionMeta newMeta) {
        return new ApiDefinition(id, newName, newDescription, newRoute, newTokens, newType, newMeta, stamp, version);
    }

    public ApiDefinition next(String user, Instant at) {
        return new ApiDefinition(id, name, description, route, allowedTokens, actionType, actionMeta,
                stamp.modified(user, at), version + 1);
    }
}
