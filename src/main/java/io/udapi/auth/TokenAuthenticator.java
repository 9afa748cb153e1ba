package io.udapi.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.config.UdapiConfig;
import io.udapi.registry.Registry;
import io.udapi.registry.TokenChanged;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretDigest;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.VerificationGate;
import io.udapi.secret.VerifiedSecretCache;
import io.udapi.secret.VerifiedSecretCache.Unverified;
import io.udapi.secret.VerifiedSecretCache.Verified;
import io.udapi.token.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a presented bearer secret into a token (docs/security.md, "Token secrets on the trigger path"), in this order:
 * <ol>
 *   <li>verified-secret cache: one keyed digest and one map lookup, on the event loop;</li>
 *   <li>recently failed secrets: refused at once;</li>
 *   <li>lookup tag: a secret whose 32-bit tag matches no enabled token is refused without Argon2;</li>
 *   <li>Argon2id against the few candidates, on a bounded worker pool ({@link VerificationGate}); when
 *       it is full the answer is {@link AuthResult.Busy}.</li>
 * </ol>
 * Cached proofs carry the token's version; any change to the token (disabled, rotated, deleted, ...)
 * makes them stale at once, and the token's own state (enabled, not expired) is checked on every request.
 * During a rotation overlap the previous secret is a credential like the current one: found by its own
 * tag, proved once by Argon2, then cached, with the overlap's end checked on every hit (docs/tokens.md).
 */
@ApplicationScoped
public class TokenAuthenticator {

    private final Registry registry;
    private final SecretDigester digester;
    private final LookupTagger tagger;
    private final SecretHasher hasher;
    private final VerifiedSecretCache cache;
    private final VerificationGate gate;
    /** Verifications under way, by the keyed digest of their secret (see {@link #verify}). */
    private final ConcurrentHashMap<SecretDigest, CompletableFuture<AuthResult>> inFlight =
            new ConcurrentHashMap<>();
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
     * The answer when it is known without Argon2, or {@link InlineAuth#NEEDS_ARGON2}: the caller then calls
     * {@link #verify} and continues asynchronously. Safe on the event loop.
     */
    public InlineAuth tryWithoutArgon2(String secret, SecretDigest digest) {
        Instant now = clock.instant();
        Verified proof = cache.lookup(digest).orElse(null);
        if (proof != null) {
            ApiToken token = registry.token(proof.tokenId()).orElse(null);
            // a previous secret's proof holds only while its overlap lasts: the overlap ends without the token
            // changing, so this is checked on every hit. Past its end the secret is nobody's any more (another
            // token may even have it now): not refused at once, but on to the tag index like any other secret.
            if (token != null && token.version() == proof.tokenVersion()
                    && (!proof.previousSecret() || token.liveOverlap(now).isPresent())) {
                cacheHits.increment();
                return token.canAuthenticate(now)
                        ? new AuthResult.Authenticated(token, proof.previousSecret() ? SecretSlot.PREVIOUS : SecretSlot.CURRENT)
                        : InlineAuth.REFUSED;
            }
        }
        // a udapi_ string with a wrong checksum is a typo or a guess, never a secret (no token can have one,
        // see SecretRules): refused before the tag index and Argon2 (docs/tokens.md). Checked only on a cache
        // miss: the cache holds verified secrets only, so a hit never has a bad checksum, and the hot path of a
        // known secret skips the CRC
        if (SecretGenerator.form(secret) == SecretGenerator.Form.BAD_CHECKSUM) {
            return InlineAuth.REFUSED;
        }
        if (cache.isKnownBad(digest)) {
            return InlineAuth.REFUSED;
        }
        if (candidates(secret, now).isEmpty()) {
            return InlineAuth.REFUSED;
        }
        return InlineAuth.NEEDS_ARGON2;
    }

    public SecretDigest digest(String secret) {
        return digester.digest(secret);
    }

    /**
     * Argon2 against the candidates, off the event loop; completes on an Argon2 worker thread, or at once with
     * {@link AuthResult#BUSY} when every Argon2 slot and queue place is taken.
     */
    public CompletionStage<AuthResult> verify(String secret, SecretDigest digest) {
        // Single flight: requests that present the same unproved secret while its verification runs join it,
        // so a burst of first uses (a client fleet starting, a rotation rolled out) costs one Argon2 run, not
        // one per request. The entry is removed before the joined future completes, and the proof is already
        // cached by then, so a request after it is a cache hit. At most permits + queue entries exist at once:
        // a busy answer completes at once and removes its entry.
        CompletableFuture<AuthResult> mine = new CompletableFuture<>();
        CompletableFuture<AuthResult> running = inFlight.putIfAbsent(digest, mine);
        if (running != null) {
            return running;
        }
        long generation = cache.generation();
        List<Candidate> candidates = candidates(secret, clock.instant());
        gate.submit(() -> proved(secret, digest, generation, candidates), AuthResult.BUSY).whenComplete((result, fault) -> {
            inFlight.remove(digest, mine);
            if (fault != null) {
                mine.completeExceptionally(fault);
            } else {
                mine.complete(result);
            }
        });
        return mine;
    }

    /** On an Argon2 thread: runs Argon2, records what it proved, and answers for the token as it is now. */
    private AuthResult proved(String secret, SecretDigest digest, long generation, List<Candidate> candidates) {
        java.util.Optional<Candidate> match;
        try {
            match = runArgon2(secret, candidates);
        } catch (RuntimeException | Error fault) {
            // a fault (native Argon2 failure) refuses this request; ERROR is recorded but never cached as a
            // mismatch (see VerifiedSecretCache)
            verifiedError.increment();
            cache.record(digest, Unverified.ERROR, generation);
            return AuthResult.INVALID;
        }
        if (match.isEmpty()) {
            cache.record(digest, Unverified.NO_MATCH, generation);
            return AuthResult.INVALID;
        }
        Candidate proved = match.get();
        cache.record(digest, new Verified(proved.token().id(), proved.token().version(),
                proved.slot() == SecretSlot.PREVIOUS), generation);
        // the token may have changed while Argon2 ran: what counts is where that hash is now
        // (rotated with an overlap, the proved current secret has become the previous one)
        Instant now = clock.instant();
        ApiToken token = registry.token(proved.token().id()).orElse(null);
        if (token == null || !token.canAuthenticate(now)) {
            return AuthResult.INVALID;
        }
        return slotHolding(token, proved.hash(), now)
                .<AuthResult>map(slot -> new AuthResult.Authenticated(token, slot))
                .orElse(AuthResult.INVALID);
    }

    /** Which of the token's live secrets has this hash at {@code now}, if any. */
    private static java.util.Optional<SecretSlot> slotHolding(ApiToken token, String hash, Instant now) {
        if (token.secretHash().equals(hash)) {
            return java.util.Optional.of(SecretSlot.CURRENT);
        }
        return token.liveOverlap(now).filter(p -> p.secretHash().equals(hash)).map(p -> SecretSlot.PREVIOUS);
    }

    /** One secret of one token that a presented secret's tag points at: the unit of an Argon2 run. */
    private record Candidate(ApiToken token, SecretSlot slot, String hash) {
    }

    private java.util.Optional<Candidate> runArgon2(String secret, List<Candidate> candidates) {
        for (Candidate candidate : candidates) {
            boolean match = hasher.matches(secret, candidate.hash());
            (match ? verifiedMatch : verifiedNoMatch).increment();
            if (match) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Whose a leaked secret is (docs/tokens.md, "Secrets that leak scanners can find"): a token's, nobody's, or
     * not known yet because Argon2 is saturated. Values, so that "busy" never travels as an exception.
     */
    public sealed interface Owner {
        record Token(String tokenId) implements Owner {
        }

        /** No live secret matches; or every Argon2 slot and queue place is taken (answered 503 / 1100). */
        enum Unanswered implements Owner { NOBODY, BUSY }
    }

    /**
     * The token a secret belongs to, whatever its state (disabled and expired ones included), for leak
     * reports (docs/tokens.md, "Secrets that leak scanners can find"): its current secret, or its previous one while the overlap lasts. The same Argon2
     * pool and bounds as triggers: when it is full the stage completes at once with {@link Owner.Unanswered#BUSY}.
     */
    public CompletionStage<Owner> owner(String secret) {
        List<Candidate> withTag = secretsWithTag(tagger.tag(secret), clock.instant());
        if (withTag.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(Owner.Unanswered.NOBODY);
        }
        return gate.submit(() -> runArgon2(secret, withTag)
                .<Owner>map(candidate -> new Owner.Token(candidate.token().id()))
                .orElse(Owner.Unanswered.NOBODY), Owner.Unanswered.BUSY);
    }

    /** Only the secrets of enabled, unexpired tokens are worth an Argon2 run. */
    private List<Candidate> candidates(String secret, Instant now) {
        List<Candidate> withTag = secretsWithTag(tagger.tag(secret), now);
        return withTag.isEmpty() ? withTag : withTag.stream().filter(c -> c.token().canAuthenticate(now)).toList();
    }

    /**
     * The live secrets with this tag: a token's current secret, and its previous one while the overlap lasts
     * (a previous secret is a credential like the current one, docs/tokens.md, "Rotation with an overlap").
     */
    private List<Candidate> secretsWithTag(int tag, Instant now) {
        List<ApiToken> withTag = registry.tokensWithTag(tag);
        if (withTag.isEmpty()) {
            return List.of();
        }
        List<Candidate> secrets = new java.util.ArrayList<>(withTag.size());
        for (ApiToken token : withTag) {
            if (token.lookupTag() == tag) {
                secrets.add(new Candidate(token, SecretSlot.CURRENT, token.secretHash()));
            }
            token.liveOverlap(now).filter(p -> p.lookupTag() == tag)
                    .ifPresent(p -> secrets.add(new Candidate(token, SecretSlot.PREVIOUS, p.secretHash())));
        }
        return secrets;
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
