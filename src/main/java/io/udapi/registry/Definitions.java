package io.udapi.registry;

import io.udapi.definition.ApiDefinition;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every definition, published by atomic swap. Rebuilt on each change;
 * definitions change rarely and number in the thousands, so copying is cheaper than coordinating.
 */
public final class Definitions {

    static final Definitions EMPTY = new Definitions(Map.of());

    private final Map<String, ApiDefinition> byId;

    private Definitions(Map<String, ApiDefinition> byId) {
        this.byId = Map.copyOf(byId);
    }

    static Definitions of(Collection<ApiDefinition> all) {
        Map<String, ApiDefinition> map = new HashMap<>();
        all.forEach(d -> map.put(d.id(), d));
        return new Definitions(map);
    }

    Definitions with(ApiDefinition definition) {
        ApiDefinition previous = byId.get(definition.id());
        if (previous != null && previous.version() > definition.version()) {
            return this;
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
