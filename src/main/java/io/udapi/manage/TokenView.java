package io.udapi.manage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.udapi.token.ApiToken;
import io.udapi.token.PreviousSecret;
import io.udapi.token.RateLimit;
import io.udapi.token.TokenUsage;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A token as the management API shows it. The secret appears only in the answer to a create or a
 * rotation ({@link #withSecret}); the hash and the lookup tag never leave the service.
 */
@Schema(name = "Token", description = "An API token; the secret only in the answer to a create or a rotation.",
        requiredProperties = {"id", "name", "secretHint", "isDisabled", "expiresAt", "rateLimit", "createdBy", "createdAt",
                "allowedSourceRanges", "previousSecretHint", "previousSecretExpiresAt", "lastModifiedBy", "lastModified", "version",
                "lastUsedAt", "previousSecretLastUsedAt"})
@JsonPropertyOrder({"id", "name", "secret", "secretHint", "isDisabled", "expiresAt", "rateLimit", "allowedSourceRanges",
        "lastUsedAt", "previousSecretHint", "previousSecretExpiresAt", "previousSecretLastUsedAt"})
public record TokenView(String id, String name,
                        @Schema(description = "Only in the answer to a create or a rotation, and only then.")
                        @JsonInclude(JsonInclude.Include.NON_NULL) String secret,
                        String secretHint,
                        @JsonProperty("isDisabled") boolean isDisabled,
                        @Schema(nullable = true, description = "Authenticates until this instant, inclusive; null: never expires.")
                        Instant expiresAt,
                        @Schema(nullable = true, description = "null: unlimited.") RateLimitView rateLimit,
                        @Schema(nullable = true, maxItems = 100,
                                description = "Canonical CIDR blocks a trigger may come from; null: any address.")
                        List<String> allowedSourceRanges,
                        @Schema(nullable = true, description = "Hint of the replaced secret while it still authenticates; null: no overlap.")
                        String previousSecretHint,
                        @Schema(nullable = true, description = "End of the overlap, exclusive; null: no overlap.")
                        Instant previousSecretExpiresAt,
                        String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModified,
                        long version,
                        @Schema(nullable = true, description = "Last admitted trigger on any instance; may lag by up to "
                                + "udapi.usage.flush-interval plus udapi.sync.interval (docs/tokens.md, \"Usage\"); null: never used.")
                        Instant lastUsedAt,
                        @Schema(nullable = true, description = "Last admitted trigger made with the previous secret, with the "
                                + "precision of lastUsedAt; null: no overlap, or the previous secret not used during it.")
                        Instant previousSecretLastUsedAt) {

    /** {@code window} as an ISO-8601 duration, e.g. {@code PT1M}. */
    @Schema(name = "TokenRateLimit", requiredProperties = {"limit", "window"})
    public record RateLimitView(int limit, String window) {
        static RateLimitView of(RateLimit limit) {
            return limit == null ? null : new RateLimitView(limit.limit(), limit.window().toString());
        }
    }

    /**
     * @param now   the previous secret's fields are null when there is no overlap at {@code now}, including once
     *              its end has passed (docs/tokens.md, "Rotation with an overlap")
     * @param usage the token's usage (docs/tokens.md, "Usage"); {@code previousSecretLastUsedAt} is shown only
     *              while an overlap is live and only from its rotation on: a use of an older previous secret is
     *              not a use of this one
     */
    static TokenView of(ApiToken t, Instant now, TokenUsage usage) {
        PreviousSecret overlap = t.liveOverlap(now).orElse(null);
        return new TokenView(t.id(), t.name(), null, t.secretHint(), t.disabled(), t.expiresAt(),
                RateLimitView.of(t.rateLimit()),
                t.allowedSourceRanges() == null ? null : t.allowedSourceRanges().cidrs(),
                overlap == null ? null : overlap.secretHint(), overlap == null ? null : overlap.expiresAt(),
                t.stamp().createdBy(), t.stamp().createdAt(),
                t.stamp().lastModifiedBy(), t.stamp().lastModified(), t.version(), usage.lastUsedAt(),
                overlap == null || !overlap.usedAt(usage.previousSecretLastUsedAt()) ? null : usage.previousSecretLastUsedAt());
    }

    TokenView withSecret(String newSecret) {
        return new TokenView(id, name, newSecret, secretHint, isDisabled, expiresAt, rateLimit, allowedSourceRanges,
                previousSecretHint, previousSecretExpiresAt, createdBy, createdAt, lastModifiedBy, lastModified, version,
                lastUsedAt, previousSecretLastUsedAt);
    }
}
