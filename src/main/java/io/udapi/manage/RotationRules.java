package io.udapi.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.problem.Problem;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The fields of {@code POST /admin/v1/tokens/{id}/rotate} beyond the secret (docs/tokens.md, "Rotation with
 * an overlap"): how long the replaced secret keeps authenticating, and the wording of the audit event.
 */
final class RotationRules {

    static final String VALID_FOR = "previousSecretValidFor";
    static final String END_OVERLAP = "endOverlap";
    /** The longest overlap: long enough to roll a fleet of clients, short enough to bound a leaked old secret. */
    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    private RotationRules() {
    }

    /**
     * {@code previousSecretValidFor}: an ISO-8601 duration (days, hours, minutes, seconds) from PT0S to P7D.
     * Any other value, whatever its JSON type (null and numbers included), is an {@code InvalidRotation}
     * problem added to {@code problems}, and the answer is null.
     *
     * @param value the field's JSON value, present
     */
    static Duration overlap(JsonNode value, String id, List<Problem> problems) {
        if (value == null || !value.isTextual()) {
            problems.add(Problems.invalid(Reason.InvalidRotation, id, VALID_FOR + " must be an ISO-8601 duration "
                    + "string from PT0S to P7D, such as \"PT1H\"; omit it for PT0S (the previous secret stops at once)"));
            return null;
        }
        Duration overlap;
        try {
            overlap = Duration.parse(value.textValue());
        } catch (DateTimeParseException e) {
            problems.add(Problems.invalid(Reason.InvalidRotation, id, VALID_FOR + " '" + value.textValue()
                    + "' is not an ISO-8601 duration of days, hours, minutes and seconds, such as PT1H or P2D"));
            return null;
        }
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            problems.add(Problems.invalid(Reason.InvalidRotation, id, VALID_FOR + " " + overlap
                    + " is outside PT0S..P7D: the previous secret may keep authenticating for at most 7 days"));
            return null;
        }
        return overlap;
    }

    /** What the audit event of a rotation says about the replaced secret; never any secret. */
    static String summary(String name, Duration overlap, Instant now) {
        if (overlap.isZero()) {
            return name + ": secret rotated; the previous secret stopped at once";
        }
        return name + ": secret rotated; the previous secret stays valid for " + overlap + ", until "
                + now.plus(overlap);
    }

    /** The audit summary of {@code endOverlap}. */
    static String endedSummary(String name) {
        return name + ": overlap ended early; the previous secret stopped at once";
    }
}
