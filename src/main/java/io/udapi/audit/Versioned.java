package io.udapi.audit;

/** A stored object: an immutable id and a version that increases on every change (the ETag). */
public interface Versioned {
    String id();

    long version();

    /**
     * Whether this copy replaces {@code other}, a copy of the object with the same id: a late copy of an older
     * revision must never roll a cache back. By version here; objects whose id can be reused after a delete
     * (admin users, named by their name) also order the incarnations.
     */
    default boolean supersedes(Versioned other) {
        return version() > other.version();
    }
}
