package io.udapi.store.error;

/** A store operation failed; subclasses say why. */
public abstract class StoreException extends RuntimeException {
    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
