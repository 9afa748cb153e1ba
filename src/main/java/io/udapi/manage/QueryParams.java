package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Query parameters parsed strictly: a value that does not parse is {@code MalformedRequest}, not ignored. */
final class QueryParams {

    private QueryParams() {
    }

    static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ProblemException(Problems.malformed(name + "=" + value + " is outside " + min + ".." + max));
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ProblemException(Problems.malformed(name + "=" + value + " is not an integer"));
        }
    }

    static Optional<Boolean> bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw new ProblemException(Problems.malformed(name + "=" + value + " must be true or false"));
        };
    }

    static Optional<Instant> instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problems.malformed(name + "=" + value + " is not an ISO-8601 instant"));
        }
    }

    static <E extends Enum<E>> Optional<E> enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problems.malformed(name + "=" + value + " is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants())));
        }
    }
}
