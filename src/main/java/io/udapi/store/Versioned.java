package io.udapi.store;

/** A stored object: an immutable id and a version that increases on every change (the ETag). */
public interface Versioned {
    String id();

    long version();
}
