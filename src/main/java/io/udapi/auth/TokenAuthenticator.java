package io.udapi.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.udapi.config.UdapiConfig;
import io.udapi.registry.Registry;
import io.udapi.registry.TokenChanged;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerificationBusyException;
import io.udapi.secret.VerificationGate;
import io.udapi.secret.VerifiedSecretCache;
import io.udapi.secret.VerifiedSecretCache.Outcome;
import io.udapi.secret.VerifiedSecretCache.Unverified;
import io.udapi.secret.VerifiedSecretCache.Verified;
import io.udapi.token.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Turns a presented bearer secret into a token (SPEC 4.2), in this order:
 * <ol>
 *   <li>verified-secret cache: one keyed digest and one map lookup, on the event loop;</li>
 *   <li>recently failed secrets: refused at once;</li>
 *   <li>lookup tag: a secret whose 32-bit tag matches no enabled token is refused without Argon2;</li>
 *   <li>Argon2id against the few candidates, on a bounded worker pool ({@link VerificationGate}); when
 *       it is full the answer is {@link AuthResult.Busy}.</li>
 * </ol>
 * Cached proofs carry the token's version; any change to the token (disabled, rotated, deleted, ...)
 * makes them stale at once, and the token's own state (enabled, not expired) is checked on every request.
 */
@ApplicationScoped
public class TokenAuthenticator {

    private final Registry registry;
    private final SecretDigester digester;
    private final LookupTagger tagger;
    private final SecretHasher hasher;
    private final VerifiedSecretCache cache;
    private final VerificationGate gate;
    private final Clock clock;
    private final Counter cacheHits;
    private final Counter verifiedMatch;
    private final Counter verifiedNoMatch;
    private final Counter verifiedError;

    TokenAuthenticator(Registry registry, SecretDigester digester, LookupTagger tagger, SecretHasher hasher,
                       VerifiedSecretCache cache, UdapiConfig config, Clock clock, MeterRegistry meters) {
        this.registry = registry;
        this.digester = digester;
        this.tagger = tagger;
        this.hasher = hasher;
        this.cache = cache;
        this.clock = clock;
        // its own small pool: Argon2 uses 19 MiB per run, so the cap bounds memory as well as CPU
        this.gate = VerificationGate.onOwnThreads("udapi-argon2", config.secrets().maxVerifications(),
                config.secrets().verificationQueue());
        this.cacheHits = meters.counter("udapi.secret.cache.hits");
        this.verifiedMatch = meters.counter("udapi.secret.verifications", "result", "match");
        this.verifiedNoMatch = meters.counter("udapi.secret.verifications", "result", "nomatch");
        this.verifiedError = meters.counter("udapi.secret.verifications", "result", "error");
        meters.gauge("udapi.secret.verification.queue", gate, VerificationGate::queueDepth);
    }

    /**
     * The answer when it is known without Argon2, else null: the caller then calls {@link #verify} and
     * continues asynchronously. Safe on the event loop.
     */
    public AuthResult tryWithoutArgon2(String secret, SecretDigest digest) {
        Instant now = clock.instant();
        Verified proof = cache.lookup(digest).orElse(null);
        if (proof != null) {
            ApiToken token = registry.token(proof.tokenId()).orElse(null);
            if (token != null && token.version() == proof.tokenVersion()) {
                cacheHits.increment();
                return token.canAuthenticate(now) ? new AuthResult.Authenticated(token) : AuthResult.INVALID;
            }
        }
        if (cache.isKnownBad(digest)) {
            return AuthResult.INVALID;
        }
        if (candidates(secret, now).isEmpty()) {
            return AuthResult.INVALID;
        }
        return null;
    }

    public SecretDigest digest(String secret) {
        return digester.digest(secret);
    }

    /** Argon2 against the candidates, off the event loop; completes on an Argon2 worker thread. */
    public CompletionStage<AuthResult> verify(String secret, SecretDigest digest) {
        long generation = cache.generation();
        List<ApiToken> candidates = candidates(secret, clock.instant());
        return gate.submit(() -> runArgon2(secret, candidates))
                .handle((outcome, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                        if (cause instanceof VerificationBusyException) {
                            return AuthResult.BUSY;
                        }
                        verifiedError.increment();
                        cache.record(digest, Unverified.ERROR, generation);
                        return AuthResult.INVALID;
                    }
                    cache.record(digest, outcome, generation);
                    if (outcome instanceof Verified proof) {
                        ApiToken token = registry.token(proof.tokenId()).orElse(null);
                        if (token != null && token.canAuthenticate(clock.instant())) {
                            return new AuthResult.Authenticated(token);
                        }
                    }
                    return AuthResult.INVALID;
                });
    }

    private Outcome runArgon2(String secret, List<ApiToken> candidates) {
        for (ApiToken candidate : candidates) {
            boolean match = hasher.matches(secret, candidate.secretHash());
            (match ? verifiedMatch : verifiedNoMatch).increment();
            if (match) {
                return new Verified(candidate.id(), candidate.version());
            }
        }
        return Unverified.NO_MATCH;
    }

    /**
     * The token a secret belongs to, whatever its state (disabled and expired ones included), for leak
     * reports (SPEC 6.4). The same Argon2 pool and bounds as triggers: when it is full the stage completes
     * exceptionally with {@link VerificationBusyException}.
     */
    public CompletionStage<java.util.Optional<String>> owner(String secret) {
        List<ApiToken> withTag = registry.tokensWithTag(tagger.tag(secret));
        if (withTag.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
        }
        return gate.submit(() -> runArgon2(secret, withTag))
                .thenApply(outcome -> outcome instanceof Verified proof ? java.util.Optional.of(proof.tokenId())
                        : java.util.Optional.<String>empty());
    }

    /** Only enabled, unexpired tokens are worth an Argon2 run. */
    private List<ApiToken> candidates(String secret, Instant now) {
        List<ApiToken> withTag = registry.tokensWithTag(tagger.tag(secret));
        return withTag.isEmpty() ? withTag : withTag.stream().filter(t -> t.canAuthenticate(now)).toList();
    }

    /** A changed token invalidates what was proved for it; a new or re-enabled secret clears failures. */
    void onTokenChanged(@Observes TokenChanged change) {
        cache.forgetToken(change.tokenId());
        if (change.mayAcceptNewSecrets()) {
            cache.clearFailures();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        gate.close();
    }
}
