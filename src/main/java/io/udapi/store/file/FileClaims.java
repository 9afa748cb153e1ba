package io.udapi.store.file;

import io.udapi.store.Claims;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Claims of the file store, in memory. The file store serves a single instance whose write lock already
 * serialises uniqueness checks, so the claims only need to be atomic within this process; after a
 * restart they start empty and the registry's checks (loaded from disk) cover existing objects.
 */
final class FileClaims implements Claims {

    /** Guarded by this. */
    private final Map<String, Claim> claims = new HashMap<>();

    private static String id(String kind, String key) {
        return kind + ":" + key;
    }

    @Override
    public synchronized boolean claim(String kind, String key, String ownerId, Instant at) {
        Claim current = claims.putIfAbsent(id(kind, key), new Claim(ownerId, at));
        return current == null || current.owner().equals(ownerId);
    }

    @Override
    public synchronized boolean takeOver(String kind, String key, String expectedOwner, String newOwner, Instant at) {
        Claim current = claims.get(id(kind, key));
        if (current == null || current.owner().equals(expectedOwner)) {
            claims.put(id(kind, key), new Claim(newOwner, at));
            return true;
        }
        return current.owner().equals(newOwner);
    }

    @Override
    public synchronized void release(String kind, String key, String ownerId) {
        claims.computeIfPresent(id(kind, key), (k, c) -> c.owner().equals(ownerId) ? null : c);
    }

    @Override
    public synchronized Optional<Claim> owner(String kind, String key) {
        return Optional.ofNullable(claims.get(id(kind, key)));
    }
}
