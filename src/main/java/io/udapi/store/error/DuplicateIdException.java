package io.udapi.store.error;

/** Thrown when an object with this id exists already. */
public final class DuplicateIdException extends StoreException {
    public DuplicateIdException(String message) {
        super(message, null);
    }

    public DuplicateIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
