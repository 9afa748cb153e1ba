package io.udapi.registry;

import io.udapi.definition.ApiDefinition;
import io.udapi.route.RouteConflict;
import io.udapi.route.RoutePattern;
import io.udapi.route.RouteTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * An immutable snapshot of every definition and the route table over them, published by atomic swap.
 * Rebuilt on each change: definitions change rarely and number in the thousands, so copying is cheaper
 * than coordinating with the event loops that read it.
 */
public final class Definitions {

    private static final Logger LOG = Logger.getLogger(Definitions.class);
    static final Definitions EMPTY = new Definitions(Map.of());

    private final Map<String, ApiDefinition> byId;
    private final RouteTable<ApiDefinition> routes;
    /** Conflict key (docs/concepts.md, "Routes") → definition, so a write checks for a conflicting route in O(1). */
    private final Map<String, ApiDefinition> byConflictKey = new HashMap<>();

    private Definitions(Map<String, ApiDefinition> byId) {
        this.byId = Map.copyOf(byId);
        RouteTable.Builder<ApiDefinition> builder = RouteTable.builder();
        // oldest first, so that if the store ever holds two conflicting routes the older one keeps serving
        byId.values().stream()
                .sorted(java.util.Comparator.comparing((ApiDefinition d) -> d.stamp().createdAt()).thenComparing(ApiDefinition::id))
                .forEach(d -> {
                    RoutePattern pattern = RoutePattern.of(d.route());
                    byConflictKey.putIfAbsent(pattern.conflictKey(), d);
                    builder.tryAdd(pattern, d).ifPresent(Definitions::logConflict);
                });
        this.routes = builder.build();
    }

    private static void logConflict(RouteConflict<ApiDefinition> conflict) {
        LOG.errorf("definition %s is not served: %s", conflict.rejectedValue().id(), conflict.message());
    }

    /** The route table of this snapshot. */
    public RouteTable<ApiDefinition> routes() {
        return routes;
    }

    static Definitions of(Collection<ApiDefinition> all) {
        Map<String, ApiDefinition> map = new HashMap<>();
        all.forEach(d -> map.put(d.id(), d));
        return new Definitions(map);
    }

    Definitions with(ApiDefinition definition) {
        ApiDefinition previous = byId.get(definition.id());
        if (previous != null && (previous.version() > definition.version() || previous.equals(definition))) {
            return this;    // an older revision, or the sync loop's echo of this instance's own write
        }
        Map<String, ApiDefinition> map = new HashMap<>(byId);
        map.put(definition.id(), definition);
        return new Definitions(map);
    }

    Definitions without(String id) {
        if (!byId.containsKey(id)) {
            return this;
        }
        Map<String, ApiDefinition> map = new HashMap<>(byId);
        map.remove(id);
        return new Definitions(map);
    }

    /** The definition whose route conflicts with {@code pattern}, if any (it may be the same definition). */
    public Optional<ApiDefinition> conflictingWith(RoutePattern pattern) {
        return Optional.ofNullable(byConflictKey.get(pattern.conflictKey()));
    }

    public Optional<ApiDefinition> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<ApiDefinition> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
