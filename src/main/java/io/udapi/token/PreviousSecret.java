package io.udapi.token;

import java.time.Instant;
import java.util.Objects;

/**
 * The secret a rotation replaced, kept while its overlap lasts (docs/tokens.md, "Rotation with an
 * overlap"). It is a credential of the token like the current one: same id, limits and permissions,
 * only the hash, tag and hint are its own. A token holds at most one previous secret.
 *
 * @param secretHash Argon2id PHC string of the replaced secret
 * @param lookupTag  32 bits of HMAC-SHA-256(pepper, replaced secret)
 * @param secretHint first 4 characters of the replaced secret
 * @param expiresAt  the first instant at which the replaced secret no longer authenticates
 */
public record PreviousSecret(String secretHash, int lookupTag, String secretHint, Instant expiresAt) {

    public PreviousSecret {
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(secretHint, "secretHint");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Half-open: valid strictly before {@link #expiresAt}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
