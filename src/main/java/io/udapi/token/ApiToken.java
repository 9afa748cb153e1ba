package io.udapi.token;

import io.udapi.audit.Stamp;
import io.udapi.audit.Versioned;
import java.time.Instant;
import java.util.Objects;

/**
 * A credential that may trigger the definitions listing it. Only the Argon2id hash of the secret is kept;
 * the lookup tag narrows a presented secret down to a few candidates before Argon2 runs (docs/security.md, "Token secrets on the trigger path").
 *
 * @param name       1..50 of {@code [A-Za-z0-9_-]}, unique case-insensitively
 * @param secretHash Argon2id PHC string
 * @param lookupTag  32 bits of HMAC-SHA-256(pepper, secret)
 * @param secretHint first 4 characters of the secret
 * @param expiresAt  null = never; authenticates until this instant inclusive
 * @param rateLimit  null = unlimited
 * @param previousSecret      null = no rotation overlap in progress
 * @param allowedSourceRanges null = any source address
 */
public record ApiToken(String id, String name, String secretHash, int lookupTag, String secretHint,
                       boolean disabled, Instant expiresAt, RateLimit rateLimit,
                       PreviousSecret previousSecret, SourceRanges allowedSourceRanges,
                       Stamp stamp, long version)
        implements Versioned {

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(secretHint, "secretHint");
        Objects.requireNonNull(stamp, "stamp");
    }

    /** A token as it was before rotation overlaps and source ranges: neither set. */
    public ApiToken(String id, String name, String secretHash, int lookupTag, String secretHint,
                    boolean disabled, Instant expiresAt, RateLimit rateLimit, Stamp stamp, long version) {
        this(id, name, secretHash, lookupTag, secretHint, disabled, expiresAt, rateLimit, null, null, stamp, version);
    }

    /** Expired tokens stay in the store; they only stop authenticating. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && now.isAfter(expiresAt);
    }

    public boolean canAuthenticate(Instant now) {
        return !disabled && !isExpired(now);
    }

    public ApiToken withName(String newName) {
        return new ApiToken(id, newName, secretHash, lookupTag, secretHint, disabled, expiresAt, rateLimit,
                previousSecret, allowedSourceRanges, stamp, version);
    }

    public ApiToken withDisabled(boolean newDisabled) {
        return new ApiToken(id, name, secretHash, lookupTag, secretHint, newDisabled, expiresAt, rateLimit,
                previousSecret, allowedSourceRanges, stamp, version);
    }

    public ApiToken withRateLimit(RateLimit newLimit) {
        return new ApiToken(id, name, secretHash, lookupTag, secretHint, disabled, expiresAt, newLimit,
                previousSecret, allowedSourceRanges, stamp, version);
    }

    /**
     * A new secret with no overlap: the replaced secret, and a previous one still in its overlap, stop at once
     * (docs/tokens.md, "Rotation with an overlap": a token holds at most two secrets).
     */
    public ApiToken withSecret(String newHash, int newTag, String newHint) {
        return new ApiToken(id, name, newHash, newTag, newHint, disabled, expiresAt, rateLimit,
                null, allowedSourceRanges, stamp, version);
    }

    /**
     * A new secret while the replaced one keeps authenticating until {@code previousUntil} (exclusive). An
     * older previous secret is dropped: a token holds at most two secrets.
     */
    public ApiToken rotatedTo(String newHash, int newTag, String newHint, Instant rotatedAt, Instant previousUntil) {
        return new ApiToken(id, name, newHash, newTag, newHint, disabled, expiresAt, rateLimit,
                new PreviousSecret(secretHash, lookupTag, secretHint, previousUntil, rotatedAt), allowedSourceRanges, stamp,
                version);
    }

    /** The previous secret while its overlap lasts at {@code now}; empty when there is none or it has ended. */
    public java.util.Optional<PreviousSecret> liveOverlap(Instant now) {
        return previousSecret != null && previousSecret.validAt(now) ? java.util.Optional.of(previousSecret)
                : java.util.Optional.empty();
    }

    public ApiToken withPreviousSecret(PreviousSecret newPrevious) {
        return new ApiToken(id, name, secretHash, lookupTag, secretHint, disabled, expiresAt, rateLimit,
                newPrevious, allowedSourceRanges, stamp, version);
    }

    public ApiToken withAllowedSourceRanges(SourceRanges newRanges) {
        return new ApiToken(id, name, secretHash, lookupTag, secretHint, disabled, expiresAt, rateLimit,
                previousSecret, newRanges, stamp, version);
    }

    /** The next revision: version + 1 and the modification stamp. */
    public ApiToken next(String user, Instant at) {
        return new ApiToken(id, name, secretHash, lookupTag, secretHint, disabled, expiresAt, rateLimit,
                previousSecret, allowedSourceRanges, stamp.modified(user, at), version + 1);
    }
}
