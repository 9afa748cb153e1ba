package io.udapi.token;

import java.time.Instant;

/**
 * When a token was last used (docs/tokens.md, "Usage"): the last admitted trigger with any of its secrets,
 * and the last one made with the previous secret of a rotation overlap; each null when there was none.
 * Kept out of the versioned token record, so recording usage never bumps a token's version.
 */
public record TokenUsage(Instant lastUsedAt, Instant previousSecretLastUsedAt) {

    public static final TokenUsage NONE = new TokenUsage(null, null);

    /** The later of each field: usage only moves forward, whichever instance saw it. */
    public TokenUsage merge(TokenUsage other) {
        if (other == null) {
            return this;
        }
        return new TokenUsage(later(lastUsedAt, other.lastUsedAt),
                later(previousSecretLastUsedAt, other.previousSecretLastUsedAt));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
