package io.udapi.route;

import java.util.Objects;

/**
 * The outcome of {@link RoutePattern#parse}: a rejected route is an expected answer to user input, so it
 * is a value ({@link Invalid}) rather than an exception.
 */
public sealed interface RouteParse permits RouteParse.Valid, RouteParse.Invalid {

    /** The pattern, or {@link IllegalArgumentException} with the rejection message, for trusted input. */
    RoutePattern orElseThrow();

    record Valid(RoutePattern pattern) implements RouteParse {
        public Valid {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public RoutePattern orElseThrow() {
            return pattern;
        }
    }

    /**
     * @param rule    the first rule the value breaks
     * @param message human message naming the value and the rule, safe to return to an admin client
     */
    record Invalid(RouteRule rule, String message) implements RouteParse {
        public Invalid {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public RoutePattern orElseThrow() {
            throw new IllegalArgumentException(message);
        }
    }
}
