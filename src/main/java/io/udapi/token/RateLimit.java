package io.udapi.token;

import java.time.Duration;
import java.util.Optional;

/**
 * How many requests a token may make to one definition in a sliding window.
 *
 * @param limit  1..100 admissions
 * @param window PT1S..P1D, whole milliseconds
 */
public record RateLimit(int limit, Duration window) {

    public static final int MAX_LIMIT = 100;
    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    public RateLimit {
        validate(limit, window).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
    }

    /** The rule a candidate breaks, as a message for the operator; empty when it is valid. */
    public static Optional<String> validate(int limit, Duration window) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Optional.of("rateLimit.limit " + limit + " is outside 1.." + MAX_LIMIT);
        }
        if (window == null) {
            return Optional.of("rateLimit.window is required (an ISO-8601 duration from PT1S to P1D)");
        }
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            return Optional.of("rateLimit.window " + window + " is outside PT1S..P1D");
        }
        return Optional.empty();
    }

    /**
     * The window in whole seconds, as {@code RateLimit-Policy} states it: rounded up, so a window with
     * milliseconds ({@code PT1.5S}) never reads shorter than it counts.
     */
    public long windowSeconds() {
        return window.toSeconds() + (window.getNano() > 0 ? 1 : 0);
    }
}
