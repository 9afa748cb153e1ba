package io.udapi.store.error;

/** Thrown when the object does not exist (any more). */
public final class ObjectNotFoundException extends StoreException {
    public ObjectNotFoundException(String message) {
        super(message, null);
    }

    public ObjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
