package io.udapi.auth;

import io.udapi.token.ApiToken;

/** What a presented secret proved. Refusals are values: they are the expected answer to bad input. */
public sealed interface AuthResult {

    /**
     * The secret belongs to this token, which is enabled and not expired.
     *
     * @param slot which of the token's secrets it was: the current one, or the previous one during a
     *             rotation overlap (usage is recorded per slot)
     */
    record Authenticated(ApiToken token, SecretSlot slot) implements AuthResult, InlineAuth {
        public Authenticated(ApiToken token) {
            this(token, SecretSlot.CURRENT);
        }
    }

    /** The two secrets a token can hold at once (docs/tokens.md, "Rotation with an overlap"). */
    enum SecretSlot { CURRENT, PREVIOUS }

    /**
     * Unknown, wrong, disabled or expired: deliberately one value, so the answer (401/1010) cannot tell
     * a caller which tokens exist.
     */
    record Invalid() implements AuthResult {
    }

    /** Every Argon2 slot and queue place is taken: 503/1100, {@code Retry-After: 1}. */
    record Busy() implements AuthResult {
    }

    AuthResult INVALID = new Invalid();
    AuthResult BUSY = new Busy();
}
