package io.udapi.route;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request path matched to a route.
 *
 * @param value      what the route was registered with (typically the definition)
 * @param pattern    the matched route
 * @param parameters placeholder name to decoded request segment, in route order
 */
public record RouteMatch<V>(V value, RoutePattern pattern, Map<String, String> parameters) {

    public RouteMatch {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(pattern, "pattern");
        // Not Map.copyOf: scripts receive the parameters, and route order is the order people expect.
        // RouteTable's own immutable map is kept as it is: copying it would double the allocation per match.
        if (!(parameters instanceof RouteParameters)) {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }
}
