package io.udapi.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.secret.SecretRules;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import io.udapi.token.SourceRanges;
import io.udapi.token.TokenName;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bodies of the token writes (docs/api.md, docs/tokens.md) read into values that passed every rule that
 * needs no state, or into every problem found. Type errors and unknown fields come first and alone, as
 * {@link JsonBody} finds them; then every rule of the fields is checked, so one answer lists every mistake.
 * Nothing here touches the registry, the store or a lock.
 */
final class TokenRequests {

    static final Set<String> CREATE_FIELDS = Set.of("name", "secret", "isDisabled", "expiresAt", "rateLimit",
            "allowedSourceRanges");
    static final Set<String> PATCH_FIELDS = CREATE_FIELDS;
    static final Set<String> ROTATE_FIELDS = Set.of("secret", RotationRules.VALID_FOR, RotationRules.END_OVERLAP);
    static final Set<String> RATE_LIMIT_FIELDS = Set.of("limit", "window");
    private static final Pattern PLAIN_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private TokenRequests() {
    }

    /**
     * A valid create.
     *
     * @param secret the chosen secret; empty: generate one
     * @param expiresAt null: never expires
     * @param rateLimit null: no limit of its own
     * @param ranges null: any address
     */
    record Create(String name, Optional<String> secret, boolean disabled, Instant expiresAt, RateLimit rateLimit,
                  SourceRanges ranges) {
    }

    /**
     * A valid merge patch; an absent field keeps its value. {@code setsRateLimit}/{@code setsRanges}: the field
     * was given, and its value (null clears) replaces the current one.
     */
    /**
     * @param rateLimit with {@code setsRateLimit}: null removes the limit; otherwise the members given, merged
     *                  onto the token's current limit (RFC 7396: {@code {"rateLimit":{"limit":5}}} keeps the window)
     */
    record Patch(Optional<String> name, Optional<Boolean> disabled, Optional<String> secret, boolean setsRateLimit,
                 RateLimitInput rateLimit, boolean setsRanges, SourceRanges ranges) {

        /**
         * {@code current} with every field but the secret applied (the secret is hashed before the lock).
         *
         * @throws ProblemException InvalidRateLimit when the merged limit lacks a member (a token without a
         *                          limit given only {@code window}) or breaks a rule
         */
        ApiToken applyTo(ApiToken current) {
            ApiToken next = current;
            if (name.isPresent()) {
                next = next.withName(name.get());
            }
            if (disabled.isPresent()) {
                next = next.withDisabled(disabled.get());
            }
            if (setsRateLimit) {
                next = next.withRateLimit(rateLimit == null ? null : rateLimit.mergedOnto(current.rateLimit(), current.id()));
            }
            if (setsRanges) {
                next = next.withAllowedSourceRanges(ranges); // null clears: any address again
            }
            return next;
        }
    }

    /** {@code POST /admin/v1/tokens/{id}/rotate}: a rotation, or {@code endOverlap: true} alone. */
    sealed interface Rotation {
        /** @param secret the chosen secret, empty: generate one; @param overlap PT0S..P7D */
        record Rotate(Optional<String> secret, Duration overlap) implements Rotation {
        }

        record EndOverlap() implements Rotation {
        }
    }

    static Validated<Create> create(JsonBody body, Instant now) {
        Optional<String> name = body.string("name");
        Optional<String> givenSecret = body.string("secret");
        Optional<Boolean> disabled = body.bool("isDisabled");
        Optional<String> expiresAt = body.string("expiresAt");
        Optional<RateLimitInput> rateLimit = rateLimit(body);
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());
        }
        List<Problem> problems = new ArrayList<>();
        TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, null, m)));
        givenSecret.flatMap(SecretRules::check).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, null, m)));
        if (body.has("secret") && body.isNull("secret")) {
            problems.add(Problems.invalid(Reason.InvalidSecret, null, "secret may be omitted (then it is generated) but not null"));
        }
        Instant expiry = expiresAt.map(value -> parseExpiry(value, now, problems)).orElse(null);
        RateLimit limit = rateLimit.map(r -> r.validated(null, problems)).orElse(null);
        SourceRanges ranges = sourceRanges(body, null, problems);
        return Validated.of(problems, () -> new Create(name.get(), givenSecret, disabled.orElse(false), expiry, limit,
                ranges));
    }

    static Validated<Patch> patch(JsonBody body, String id) {
        Optional<String> name = body.string("name");
        Optional<Boolean> disabled = body.bool("isDisabled");
        Optional<String> newSecret = body.string("secret");
        Optional<RateLimitInput> rateLimit = rateLimit(body);
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());
        }
        List<Problem> problems = new ArrayList<>();
        if (body.has("expiresAt")) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, id, "expiresAt is set on create only and cannot change"));
        }
        if (body.has("name")) {
            TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, id, m)));
        }
        if (body.has("isDisabled") && disabled.isEmpty()) {
            problems.add(Problems.malformed("isDisabled cannot be null"));
        }
        if (body.has("secret")) {
            Optional<String> rule = newSecret.isEmpty() ? Optional.of("secret cannot be null; omit it to keep the current one")
                    : SecretRules.check(newSecret.get());
            rule.ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, id, m)));
        }
        rateLimit.ifPresent(r -> r.checkMembers(id, problems));
        SourceRanges ranges = sourceRanges(body, id, problems);
        return Validated.of(problems, () -> new Patch(name, disabled, newSecret, body.has("rateLimit"), rateLimit.orElse(null),
                body.has("allowedSourceRanges"), ranges));
    }

    /** @param body null for a request without a body: rotate to a generated secret, no overlap */
    static Validated<Rotation> rotation(JsonBody body, String id) {
        if (body == null) {
            return Validated.valid(new Rotation.Rotate(Optional.empty(), Duration.ZERO));
        }
        if (body.has(RotationRules.END_OVERLAP)) {
            return endOverlap(body, id);
        }
        Optional<String> given = body.string("secret");
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());
        }
        List<Problem> problems = new ArrayList<>();
        given.flatMap(SecretRules::check).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, id, m)));
        Duration overlap = !body.has(RotationRules.VALID_FOR) ? Duration.ZERO
                : RotationRules.overlap(body.value(RotationRules.VALID_FOR), id, problems);
        return Validated.of(problems, () -> new Rotation.Rotate(given, overlap));
    }

    /** {@code endOverlap: true}, and no other field: it ends the overlap without rotating. */
    private static Validated<Rotation> endOverlap(JsonBody body, String id) {
        if (!body.malformations().isEmpty()) {
            return Validated.refused(body.malformations());   // unknown fields
        }
        JsonNode end = body.value(RotationRules.END_OVERLAP);
        if (!end.isBoolean() || !end.booleanValue()) {
            return Validated.refused(List.of(Problems.invalid(Reason.InvalidRotation, id,
                    "endOverlap can only be true (it ends the overlap at once); omit it to rotate")));
        }
        if (body.has("secret") || body.has(RotationRules.VALID_FOR)) {
            return Validated.refused(List.of(Problems.invalid(Reason.InvalidRotation, id,
                    "endOverlap takes no other field: it ends the overlap without rotating; rotate in another request")));
        }
        return Validated.valid(new Rotation.EndOverlap());
    }

    /**
     * A plain date means 23:59:59 of that day in the server's zone (today is accepted); otherwise an
     * ISO-8601 instant or offset date-time. Either must lie in the future.
     */
    static Instant parseExpiry(String value, Instant now, List<Problem> problems) {
        Instant expiry;
        try {
            if (PLAIN_DATE.matcher(value).matches()) {
                expiry = LocalDate.parse(value).atTime(LocalTime.of(23, 59, 59)).atZone(ZoneId.systemDefault()).toInstant();
            } else {
                expiry = OffsetDateTime.parse(value).toInstant();
            }
        } catch (DateTimeParseException e) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, null,
                    "expiresAt '" + value + "' is neither a date YYYY-MM-DD nor an ISO-8601 instant"));
            return null;
        }
        if (!expiry.isAfter(now)) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, null, "expiresAt " + expiry + " is not in the future"));
            return null;
        }
        return expiry;
    }

    /**
     * {@code allowedSourceRanges}: null or absent = any address; otherwise 1..100 CIDR blocks, refused as
     * InvalidSourceRange naming the entry (docs/tokens.md, "Source ranges"). Every shape error of this
     * field has that reason, a non-array value included.
     */
    private static SourceRanges sourceRanges(JsonBody body, String id, List<Problem> problems) {
        Optional<Object> value = body.plain("allowedSourceRanges");
        if (value.isEmpty()) {
            return null;
        }
        if (!(value.get() instanceof List<?> entries)) {
            problems.add(Problems.invalid(Reason.InvalidSourceRange, id,
                    "allowedSourceRanges must be an array of CIDR blocks such as [\"10.0.0.0/8\"], or null for any address"));
            return null;
        }
        SourceRanges.Parsed parsed = SourceRanges.parse("allowedSourceRanges", entries);
        if (parsed.problem() != null) {
            problems.add(Problems.invalid(Reason.InvalidSourceRange, id, parsed.problem()));
        }
        return parsed.ranges();
    }

    private static Optional<RateLimitInput> rateLimit(JsonBody body) {
        return body.object("rateLimit", RATE_LIMIT_FIELDS)
                .map(r -> new RateLimitInput(r.integer("limit"), r.string("window"),
                        (r.has("limit") && r.isNull("limit")) || (r.has("window") && r.isNull("window"))));
    }

    /**
     * The raw members of a rate limit; validated into a {@link RateLimit} or an InvalidRateLimit problem.
     *
     * @param nullMember a member given as null: both members are required, so a patch cannot remove one
     */
    record RateLimitInput(Optional<Integer> limit, Optional<String> window, boolean nullMember) {
        RateLimit validated(String id, List<Problem> problems) {
            return merged(null, id, problems);
        }

        /** The rules a member breaks on its own, before it is merged onto a token's limit. */
        void checkMembers(String id, List<Problem> problems) {
            if (nullMember) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id,
                        "rateLimit.limit and rateLimit.window cannot be null; set \"rateLimit\": null to remove the limit"));
            }
            window.ifPresent(w -> parseWindow(w, id, problems));
            limit.flatMap(l -> RateLimit.validate(l, RateLimit.MIN_WINDOW)).ifPresent(m -> problems.add(
                    Problems.invalid(Reason.InvalidRateLimit, id, m)));
        }

        /** These members over {@code current}'s; throws InvalidRateLimit when the result is incomplete or breaks a rule. */
        RateLimit mergedOnto(RateLimit current, String id) {
            List<Problem> problems = new ArrayList<>();
            RateLimit merged = merged(current, id, problems);
            if (merged == null) {
                throw new ProblemException(problems);
            }
            return merged;
        }

        private RateLimit merged(RateLimit current, String id, List<Problem> problems) {
            Duration duration = current == null ? null : current.window();
            if (window.isPresent()) {
                duration = parseWindow(window.get(), id, problems);
                if (duration == null) {
                    return null;
                }
            }
            Optional<Integer> count = limit.or(() -> Optional.ofNullable(current).map(RateLimit::limit));
            if (count.isEmpty()) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id, "rateLimit.limit is required (1..100)"));
                return null;
            }
            Optional<String> rule = RateLimit.validate(count.get(), duration);
            if (rule.isPresent()) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id, rule.get()));
                return null;
            }
            return new RateLimit(count.get(), duration);
        }

        private static Duration parseWindow(String text, String id, List<Problem> problems) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id,
                        "rateLimit.window '" + text + "' is not an ISO-8601 duration such as PT1M"));
                return null;
            }
        }
    }
}
