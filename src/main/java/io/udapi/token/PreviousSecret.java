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
 * @param since      the rotation that made it the previous secret; uses of an older previous secret, before it,
 *                   are not its uses (docs/tokens.md, "Usage"). Null for a token rotated before udapi kept it.
 */
public record PreviousSecret(String secretHash, int lookupTag, String secretHint, Instant expiresAt, Instant since) {

    public PreviousSecret {
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(secretHint, "secretHint");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** As it was stored before {@link #since} was kept. */
    public PreviousSecret(String secretHash, int lookupTag, String secretHint, Instant expiresAt) {
        this(secretHash, lookupTag, secretHint, expiresAt, null);
    }

    /**
     * Whether an admission with the previous secret at {@code usedAt} was made with this one. Usage is kept in
     * milliseconds, so the rotation is compared in milliseconds too.
     */
    public boolean usedAt(Instant usedAt) {
        return usedAt != null && (since == null || !usedAt.isBefore(since.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }

    /** Half-open: valid strictly before {@link #expiresAt}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
