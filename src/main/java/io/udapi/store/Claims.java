package io.udapi.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Cross-instance uniqueness: a claim reserves a {@code key} of some {@code kind} (a lower-cased token
 * name, a route's conflict key) for one owner (the id of the object that uses it). Creating a claim is
 * atomic in the store, so when two instances want the same key at once exactly one gets it; the
 * in-memory checks of each instance stay the fast path, claims decide the race.
 *
 * <p>A claim outlives a crash between claiming and writing the object; the caller decides whether the
 * holder still uses the key and, if not, hands it over with {@link #takeOver}, a compare-and-set.
 * Every method may throw {@link io.udapi.store.error.StoreUnavailableException}.
 *
 * <p>A claim can also serve as a short-lived cross-instance mutex (a <em>lease</em>, see
 * {@link #acquireLease}): the owner is then one acquisition (a random id), not an object, and a claim
 * older than the lease counts as left by a crashed holder.
 */
public interface Claims {

    /** Who holds a key, and since when (the claimer's clock). */
    record Claim(String owner, Instant at) {
    }

    /** Creates the claim; true when it was created now or is already held by {@code ownerId}. */
    boolean claim(String kind, String key, String ownerId, Instant at);

    /**
     * Hands the claim from {@code expectedOwner} to {@code newOwner} if {@code expectedOwner} still holds
     * it (or claims it afresh if nobody does); false when a third owner got there first.
     */
    boolean takeOver(String kind, String key, String expectedOwner, String newOwner, Instant at);

    /** Removes the claim if {@code ownerId} holds it; otherwise does nothing. */
    void release(String kind, String key, String ownerId);

    Optional<Claim> owner(String kind, String key);

    /**
     * Takes the key as a lease for {@code ownerId}: claims it when free, or takes it over (compare-and-set,
     * {@link #takeOver}) from a holder whose claim was made more than {@code lease} before {@code now}. Of
     * several callers taking over one expired claim at once exactly one succeeds; the others then see
     * the winner's fresh claim. The claim's {@code at} is the claimer's clock, so instances whose clocks
     * differ by more than the lease may take over a live claim: keep the lease well above clock skew.
     *
     * @return empty when {@code ownerId} holds the key now; otherwise the live claim that keeps it
     */
    default Optional<Claim> acquireLease(String kind, String key, String ownerId, Instant now, Duration lease) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (claim(kind, key, ownerId, now)) {
                return Optional.empty();
            }
            Optional<Claim> holder = owner(kind, key);
            if (holder.isEmpty()) {
                continue;   // released between our claim and our read
            }
            Claim claim = holder.get();
            if (claim.owner().equals(ownerId)) {
                return Optional.empty();
            }
            if (!claim.at().plus(lease).isBefore(now)) {
                return holder;   // live
            }
            if (takeOver(kind, key, claim.owner(), ownerId, now)) {
                return Optional.empty();
            }
            // another caller took it over (or it was released and claimed) meanwhile: read it again
        }
        if (claim(kind, key, ownerId, now)) {
            return Optional.empty();
        }
        // still contended after three rounds: report whoever holds it (a synthetic live claim if it just went)
        return Optional.of(owner(kind, key).orElseGet(() -> new Claim("(released concurrently)", now)));
    }
}
