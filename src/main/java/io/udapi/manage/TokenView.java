package io.udapi.manage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import io.udapi.usage.TokenUsage;
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
                        String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModified,
                        long version, Instant lastUsedAt, Instant previousSecretLastUsedAt) {

    /** {@code window} as an ISO-8601 duration, e.g. {@code PT1M}. */
    public record RateLimitView(int limit, String window) {
        static RateLimitView of(RateLimit limit) {
            return limit == null ? null : new RateLimitView(limit.limit(), limit.window().toString());
        }
    }

    static TokenView of(ApiToken t) {
        return of(t, TokenUsage.NONE);
    }

    /**
     * With the token's usage (docs/tokens.md, "Usage"); {@code previousSecretLastUsedAt} is null when no
     * rotation overlap is in progress, whatever was recorded for an older one.
     */
    static TokenView of(ApiToken t, TokenUsage usage) {
        return new TokenView(t.id(), t.name(), null, t.secretHint(), t.disabled(), t.expiresAt(),
                RateLimitView.of(t.rateLimit()), t.stamp().createdBy(), t.stamp().createdAt(),
                t.stamp().lastModifiedBy(), t.stamp().lastModified(), t.version(), usage.lastUsedAt(),
                t.previousSecret() == null ? null : usage.previousSecretLastUsedAt());
    }

    TokenView withSecret(String newSecret) {
        return new TokenView(id, name, newSecret, secretHint, isDisabled, expiresAt, rateLimit, createdBy, createdAt,
                lastModifiedBy, lastModified, version, lastUsedAt, previousSecretLastUsedAt);
    }
}
