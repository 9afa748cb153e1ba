package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.registry.Registry;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretRules;
import io.udapi.store.Store;
import io.udapi.token.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Argon2 work of a token write that sets a secret, all of it before the write lock: hashing the new
 * secret ({@link #prepare}) and checking that no other token, on any instance, has it ({@link #guard}).
 *
 * <p>Secret uniqueness across instances: the write holds the {@link ClusterMutex} of the secret's lookup tag,
 * re-reads from the store every token with that tag, compares the new secret with each by Argon2, and writes
 * before releasing (docs/architecture.md, "Admin writes"). Nothing but the Argon2 hash and the peppered tag is
 * stored, so no stored value allows a cheap check of a guessed secret.
 */
@ApplicationScoped
public class TokenSecrets {

    private final Store store;
    private final Registry registry;
    private final WriteArgon2 argon2;
    private final LookupTagger tagger;
    private final Clock clock;

    TokenSecrets(Store store, Registry registry, WriteArgon2 argon2, LookupTagger tagger, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.argon2 = argon2;
        this.tagger = tagger;
        this.clock = clock;
    }

    /** A new secret as it is stored: its Argon2 hash, lookup tag and hint; never the secret itself. */
    record NewSecret(String hash, int tag, String hint) {
        ApiToken applyTo(ApiToken token) {
            return token.withSecret(hash, tag, hint);
        }
    }

    /** Runs Argon2 (bounded: {@link WriteArgon2}, else 503): call it before any lock. */
    NewSecret prepare(String secret) {
        return new NewSecret(argon2.hash(secret), tagger.tag(secret), SecretRules.hint(secret));
    }

    /**
     * The cross-instance check of {@code secret} for {@link AdminWrites}: held under its tag's mutex.
     *
     * @param id the token that gets the secret (it may keep its own), or null for a new token
     */
    AdminWrites.Guard guard(String id, String secret, NewSecret prepared) {
        int tag = prepared.tag();
        return new AdminWrites.Guard(ClusterMutex.SECRET_TAG, ClusterMutex.tagKey(tag),
                () -> checkSecretFree(id, secret, tag));
    }

    /**
     * The secret must match no other token, on any instance. Called holding the tag's {@link ClusterMutex}
     * and not the write lock: the candidates are read from the store (the tokens with this tag, which
     * includes those another instance wrote a moment ago and this one has not synced yet), plus the
     * registry's candidates re-read by id (documents of older versions are not indexed by tag). Argon2
     * runs only for these few tokens that share the 32-bit tag.
     */
    private void checkSecretFree(String id, String secret, int tag) {
        Map<String, ApiToken> candidates = new LinkedHashMap<>();
        for (ApiToken stored : store.tokensWithTag(tag)) {
            candidates.put(stored.id(), stored);
        }
        for (ApiToken known : registry.tokensWithTag(tag)) {
            if (!candidates.containsKey(known.id())) {
                store.tokens().find(known.id()).filter(t -> t.lookupTag() == tag
                                || (t.previousSecret() != null && t.previousSecret().lookupTag() == tag))
                        .ifPresent(t -> candidates.put(t.id(), t));
            }
        }
        // a previous secret still in its overlap is a live credential too (docs/tokens.md); one whose
        // overlap has ended authenticates nobody, so its secret is free again
        Instant now = clock.instant();
        for (ApiToken other : candidates.values()) {
            if (other.id().equals(id)) {
                continue;
            }
            if (other.lookupTag() == tag && argon2.matches(secret, other.secretHash())) {
                throw new ProblemException(Problems.secretInUse(id));
            }
            if (other.liveOverlap(now).filter(p -> p.lookupTag() == tag)
                    .filter(p -> argon2.matches(secret, p.secretHash())).isPresent()) {
                throw new ProblemException(Problems.secretInUse(id));
            }
        }
    }
}
