package io.udapi.manage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.udapi.token.ApiToken;
import io.udapi.token.PreviousSecret;
import io.udapi.token.RateLimit;
import java.time.Instant;

/**
 * A token as the management API shows it. The secret appears only in the answer to a create or a
 * rotation ({@link #withSecret}); the hash and the lookup tag never leave the service.
 */
@JsonPropertyOrder({"id", "name", "secret", "secretHint", "isDisabled", "expiresAt", "rateLimit"})
public record TokenView(String id, String name,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
                        String secretHint,
                        @JsonProperty("isDisabled") boolean isDisabled,
                        Instant expiresAt, RateLimitView rateLimit,
                        String previousSecretHint, Instant previousSecretExpiresAt,
                        String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModified,
                        long version) {

    /** {@code window} as an ISO-8601 duration, e.g. {@code PT1M}. */
    public record RateLimitView(int limit, String window) {
        static RateLimitView of(RateLimit limit) {
            return limit == null ? null : new RateLimitView(limit.limit(), limit.window().toString());
        }
    }

    /**
     * @param now the previous secret's fields are null when there is no overlap at {@code now}, including once
     *            its end has passed (docs/tokens.md, "Rotation with an overlap")
     */
    static TokenView of(ApiToken t, Instant now) {
        PreviousSecret overlap = t.liveOverlap(now).orElse(null);
        return new TokenView(t.id(), t.name(), null, t.secretHint(), t.disabled(), t.expiresAt(),
                RateLimitView.of(t.rateLimit()), overlap == null ? null : overlap.secretHint(),
                overlap == null ? null : overlap.expiresAt(), t.stamp().createdBy(), t.stamp().createdAt(),
                t.stamp().lastModifiedBy(), t.stamp().lastModified(), t.version());
    }

    TokenView withSecret(String newSecret) {
        return new TokenView(id, name, newSecret, secretHint, isDisabled, expiresAt, rateLimit, previousSecretHint,
                previousSecretExpiresAt, createdBy, createdAt, lastModifiedBy, lastModified, version);
    }
}
