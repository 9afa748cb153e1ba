package io.udapi.trigger;

import io.udapi.definition.ApiDefinition;
import io.udapi.registry.Registry;
import io.udapi.route.RouteMatch;

/**
 * Route: a definition's route matches the normalised path (404/5), one lookup in the published route trie.
 * After auth: an unauthenticated caller learns nothing about which routes exist. Adds the match.
 */
final class RouteStage implements Stage {

    private final Registry registry;

    RouteStage(Registry registry) {
        this.registry = registry;
    }

    @Override
    public Name name() {
        return Name.ROUTE;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        RouteMatch<ApiDefinition> match = registry.definitions().routes().match(ctx.path()).orElse(null);
        return match == null ? ctx.reject(Rejection.ROUTE_NOT_FOUND) : ctx.withMatch(match);
    }
}
