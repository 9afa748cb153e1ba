package io.udapi.route;

import java.util.Objects;

/**
 * Two routes that a {@link RouteTable} cannot both hold because they have the same
 * {@link RoutePattern#conflictKey()}.
 *
 * @param existing      the route already in the table
 * @param existingValue its value (for example the definition to report as {@code conflictingDefinitionId})
 * @param rejected      the route that was refused
 * @param rejectedValue its value
 */
public record RouteConflict<V>(RoutePattern existing, V existingValue, RoutePattern rejected, V rejectedValue) {

    public RouteConflict {
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(existingValue, "existingValue");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(rejectedValue, "rejectedValue");
    }

    /** Names both routes and the rule, for logs and the sync status. */
    public String message() {
        return "Route '" + rejected.template() + "' conflicts with route '" + existing.template()
                + "': both are '" + existing.conflictKey()
                + "' once literals ignore case and placeholder names are set aside.";
    }
}
