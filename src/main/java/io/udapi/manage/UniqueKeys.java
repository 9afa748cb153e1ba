package io.udapi.manage;

import io.udapi.store.Claims;
import io.udapi.store.Store;
import io.udapi.store.error.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Cross-instance uniqueness of token names and route conflict keys through the store's {@link Claims}.
 * The registry checks of the admin services stay the fast path (and give the error bodies); a claim, taken
 * by {@link AdminWrites}, decides between two instances that pass them at the same moment.
 *
 * <p>Protocol: claim the key before the store write; release it when that write fails, and release the
 * old key after a delete or a change of name/route. A crash between the steps leaves a claim whose
 * holder does not use the key; such a claim is taken over (compare-and-set) once it is older than
 * {@link #STALE_AFTER}, which is far longer than any claim-then-write takes, so an in-flight claim of
 * another instance (its object not written yet) is never mistaken for a stale one.
 */
@ApplicationScoped
public class UniqueKeys {

    private static final Logger LOG = Logger.getLogger(UniqueKeys.class);
    public static final String TOKEN_NAME = "token-name";
    public static final String ROUTE = "route";
    /** A claim whose holder does not use its key may be taken over after this long. */
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private final Store store;
    private final Clock clock;

    UniqueKeys(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Reserves {@code key} for {@code ownerId}.
     *
     * @param holderUsesKey whether the current holder (an object id) still uses the key, read from the store
     * @return empty when reserved; otherwise the id of the holder that keeps it
     */
    Optional<String> acquire(String kind, String key, String ownerId, Predicate<String> holderUsesKey) {
        Claims claims = store.claims();
        Instant now = clock.instant();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (claims.claim(kind, key, ownerId, now)) {
                return Optional.empty();
            }
            Optional<Claims.Claim> holder = claims.owner(kind, key);
            if (holder.isEmpty()) {
                continue;   // released meanwhile
            }
            Claims.Claim claim = holder.get();
            boolean stale = claim.at().plus(STALE_AFTER).isBefore(now) && !holderUsesKey.test(claim.owner());
            if (!stale) {
                return Optional.of(claim.owner());
            }
            if (claims.takeOver(kind, key, claim.owner(), ownerId, now)) {
                LOG.infof("took over the stale %s claim '%s' from %s", kind, key, claim.owner());
                return Optional.empty();
            }
        }
        if (claims.claim(kind, key, ownerId, now)) {
            return Optional.empty();
        }
        return Optional.of(claims.owner(kind, key).map(Claims.Claim::owner).orElse("(released concurrently)"));
    }

    /**
     * Best effort: a claim that cannot be released now (store down) becomes stale and is taken over by
     * the next writer of that key after {@link #STALE_AFTER}.
     */
    void release(String kind, String key, String ownerId) {
        try {
            store.claims().release(kind, key, ownerId);
        } catch (StoreException e) {
            LOG.warnf("could not release the %s claim '%s' of %s (it goes stale): %s", kind, key, ownerId,
                    e.getMessage());
        }
    }
}
