package io.udapi.store;

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
}
