package io.udapi.problem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One refusal of the management API: a reason, the object concerned (null when there is none), a
 * message for a human, and the reason-specific fields of docs/api.md (e.g. {@code conflictingDefinitionId}).
 * Build them through {@link Problems} so that every message follows the same rules.
 */
public record Problem(Reason reason, String id, String message, Map<String, Object> fields) {

    public Problem {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Problem withId(String newId) {
        return new Problem(reason, newId, message, fields);
    }
}
