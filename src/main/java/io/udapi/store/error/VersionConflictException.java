package io.udapi.store.error;

/** Thrown when the stored object has another version than the one the update was based on. */
public final class VersionConflictException extends StoreException {
    public VersionConflictException(String message) {
        super(message, null);
    }

    public VersionConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
