package io.udapi.secret;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What Argon2 verifications have proved in this process (docs/security.md, "Token secrets on the trigger path"), keyed by {@link SecretDigest}, never by
 * a secret.
 *
 * <p><b>Positive part</b>: digest → {@link Verified}(tokenId, tokenVersion), filled after one successful
 * verification, so a repeated secret costs one HMAC and one map lookup. An entry lives until
 * {@link #forgetToken} (the token changed: rotated, disabled, deleted, ...). No TTL: an entry stays true
 * until its token changes. Bound: {@code maxVerified} entries (default {@value #DEFAULT_MAX_VERIFIED});
 * <i>when full, new entries are not stored</i> (the verification still succeeds, the next request pays Argon2
 * again). Nothing is evicted: there are at most two live entries per token (its current secret and, during a
 * rotation overlap, its previous one), entries of a changed token are dropped by {@code forgetToken}, so
 * reaching the bound means more tokens than the bound, not an attack. Callers still compare {@link Verified#tokenVersion()} with the token's current version and
 * treat a difference as a miss.
 *
 * <p><b>Negative part</b>: digests that failed verification, each remembered for {@code failureTtl} (default
 * {@link #DEFAULT_FAILURE_TTL}) so repeating a wrong secret costs nothing. {@link #clearFailures} drops them
 * all; call it whenever a token is created, enabled or given a new secret, on any instance. Bound:
 * {@code maxFailures} entries (default {@value #DEFAULT_MAX_FAILURES}); when full, expired entries are purged
 * and, if it is still full, the new failure is not stored. Failures arrive at most at the Argon2 rate
 * allowed by the {@link VerificationGate} (a few hundred per second), so the default bound is far above what
 * one TTL can hold in practice. Expired entries are also removed when read and by {@link #evictExpired()}.
 *
 * <p><b>Store or skip</b> is decided in one place, {@link #record}: a proof is stored, a mismatch is stored as
 * a failure, and an error ({@link Unverified#ERROR}: library fault, store down, timeout) is never stored — it
 * says nothing about the secret. Either kind is also skipped when the cache's {@link #generation()} moved
 * since the verification started: a token changed meanwhile (or failures were cleared), so the result may
 * already be stale. Callers read {@code generation()} before they look the token up and start Argon2.
 *
 * <p><b>Threading</b>: lock-free, on two {@link ConcurrentHashMap}s and an {@link AtomicLong}; every method is
 * non-blocking and safe from the Vert.x event loop. {@link #lookup} and {@link #isKnownBad} are O(1);
 * {@link #forgetToken} scans the positive part (O(entries), about 1 ms at 100 000) and
 * {@link #evictExpired} the negative part. Generation protocol: a writer stores, then re-reads the
 * generation and removes its own entry ({@code remove(key, value)}) if it moved; an invalidator bumps the
 * generation, then removes. Either the writer sees the bump, or its store happened before the bump and so
 * before the invalidator's scan began, which then removes it. So no result older than an invalidation survives
 * it.
 *
 * <p>Time: an injected {@link LongSupplier} of nanoseconds ({@code System::nanoTime} in production), compared
 * overflow-safely; it is read only when a failure is stored or a stored failure is read.
 */
public final class VerifiedSecretCache {

    public static final int DEFAULT_MAX_VERIFIED = 100_000;
    public static final int DEFAULT_MAX_FAILURES = 10_000;
    public static final Duration DEFAULT_FAILURE_TTL = Duration.ofSeconds(10);

    /** The result of one verification attempt: the only input of the store-or-skip decision. */
    public sealed interface Outcome permits Verified, Unverified {
    }

    /**
     * The secret proved to belong to token {@code tokenId} as it was at {@code tokenVersion}.
     *
     * @param previousSecret whether it was the token's previous secret (a rotation overlap, docs/tokens.md):
     *                       such a proof holds only while the overlap lasts, which the caller checks on
     *                       every hit with its clock, since the overlap ends without the token changing
     */
    public record Verified(String tokenId, long tokenVersion, boolean previousSecret) implements Outcome {
        public Verified {
            Objects.requireNonNull(tokenId, "tokenId");
        }

        /** A proof of the token's current secret. */
        public Verified(String tokenId, long tokenVersion) {
            this(tokenId, tokenVersion, false);
        }
    }

    /** A verification that proved nothing. */
    public enum Unverified implements Outcome {
        /** Argon2 ran against every candidate and none matched: remembered as a failure. */
        NO_MATCH,
        /** The attempt did not complete (library fault, store unavailable, ...): never remembered. */
        ERROR
    }

    private final ConcurrentHashMap<SecretDigest, Verified> verified = new ConcurrentHashMap<>();
    /** Digest → the nano time at which the failure is forgotten. */
    private final ConcurrentHashMap<SecretDigest, Long> failures = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final int maxVerified;
    private final int maxFailures;
    private final long failureTtlNanos;
    private final LongSupplier nanoClock;

    /** A cache with the default bounds and TTL on {@code System.nanoTime()}. */
    public VerifiedSecretCache() {
        this(DEFAULT_MAX_VERIFIED, DEFAULT_MAX_FAILURES, DEFAULT_FAILURE_TTL, System::nanoTime);
    }

    /**
     * @param maxVerified 1.. entries of the positive part
     * @param maxFailures 1.. entries of the negative part
     * @param failureTtl  how long a failure is remembered, positive
     * @param nanoClock   monotonic time in nanoseconds
     */
    public VerifiedSecretCache(int maxVerified, int maxFailures, Duration failureTtl, LongSupplier nanoClock) {
        if (maxVerified < 1 || maxFailures < 1) {
            throw new IllegalArgumentException("cache bounds must be positive, got maxVerified=" + maxVerified
                    + ", maxFailures=" + maxFailures);
        }
        if (failureTtl.isNegative() || failureTtl.isZero()) {
            throw new IllegalArgumentException("failureTtl must be positive, got " + failureTtl);
        }
        this.maxVerified = maxVerified;
        this.maxFailures = maxFailures;
        this.failureTtlNanos = failureTtl.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** The token a secret with this digest proved, if remembered. Compare its version with the token's. */
    public Optional<Verified> lookup(SecretDigest digest) {
        return Optional.ofNullable(verified.get(digest));
    }

    /** Whether a secret with this digest failed verification less than the failure TTL ago. */
    public boolean isKnownBad(SecretDigest digest) {
        Long until = failures.get(digest);
        if (until == null) {
            return false;
        }
        if (nanoClock.getAsLong() - until < 0) {
            return true;
        }
        failures.remove(digest, until); // expired: drop it unless a newer failure replaced it
        return false;
    }

    /** The current generation; read it before a verification starts and pass it to {@link #record}. */
    public long generation() {
        return generation.get();
    }

    /**
     * The store-or-skip decision for the outcome of one verification that started at
     * {@code generationAtStart}.
     *
     * @return whether something was stored
     */
    public boolean record(SecretDigest digest, Outcome outcome, long generationAtStart) {
        Objects.requireNonNull(digest, "digest");
        if (generation.get() != generationAtStart) {
            return false; // a token changed during the verification: the result may be stale
        }
        if (outcome instanceof Verified proof) {
            if (verified.size() >= maxVerified) {
                return false; // full: do not store (see class comment: reaching it means many tokens)
            }
            verified.put(digest, proof);
            return stillCurrent(verified, digest, proof, generationAtStart);
        }
        if (outcome == Unverified.NO_MATCH) {
            long now = nanoClock.getAsLong();
            if (failures.size() >= maxFailures) {
                evictExpired(now);
                if (failures.size() >= maxFailures) {
                    return false; // still full of live failures: skip; the secret just costs Argon2 again
                }
            }
            Long until = now + failureTtlNanos;
            failures.put(digest, until);
            return stillCurrent(failures, digest, until, generationAtStart);
        }
        // Unverified.ERROR: a fault says nothing about the secret; remembering it would refuse a good secret.
        return false;
    }

    /** {@link #record} of a proof. */
    public boolean remember(SecretDigest digest, String tokenId, long tokenVersion, long generationAtStart) {
        return record(digest, new Verified(tokenId, tokenVersion), generationAtStart);
    }

    /** {@link #record} of a mismatch. */
    public boolean rememberFailure(SecretDigest digest, long generationAtStart) {
        return record(digest, Unverified.NO_MATCH, generationAtStart);
    }

    /** Drops every proof of token {@code tokenId}: call it when the token changes in any way, or is deleted. */
    public void forgetToken(String tokenId) {
        generation.incrementAndGet(); // first: in-flight verifications will not store (see class comment)
        verified.values().removeIf(v -> v.tokenId().equals(tokenId));
    }

    /** Drops every remembered failure: call it when any token is created, enabled or given a new secret. */
    public void clearFailures() {
        generation.incrementAndGet(); // first: in-flight failures will not store (see class comment)
        failures.clear();
    }

    /** Removes expired failures (for a periodic janitor); answers how many. */
    public int evictExpired() {
        return evictExpired(nanoClock.getAsLong());
    }

    /** Number of remembered proofs. */
    public int size() {
        return verified.size();
    }

    /** Number of remembered failures, expired ones not yet removed included. */
    public int failureCount() {
        return failures.size();
    }

    private int evictExpired(long now) {
        int[] removed = {0};
        failures.forEach((digest, until) -> {
            if (now - until >= 0 && failures.remove(digest, until)) {
                removed[0]++;
            }
        });
        return removed[0];
    }

    /** Second half of the generation protocol: undo our own store if an invalidation overtook it. */
    private <V> boolean stillCurrent(ConcurrentHashMap<SecretDigest, V> map, SecretDigest digest, V stored,
            long generationAtStart) {
        if (generation.get() == generationAtStart) {
            return true;
        }
        map.remove(digest, stored);
        return false;
    }
}
