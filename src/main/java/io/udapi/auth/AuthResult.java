package io.udapi.auth;

import io.udapi.token.ApiToken;

/** What a presented secret proved. Refusals are values: they are the expected answer to bad input. */
public sealed interface AuthResult {

    /** The secret belongs to this token, which is enabled and not expired. */
    record Authenticated(ApiToken token) implements AuthResult {
    }

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
