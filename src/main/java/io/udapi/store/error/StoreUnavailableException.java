package io.udapi.store.error;

/** Thrown when the backend cannot be reached or failed; the operation may be retried. */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message) {
        super(message, null);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
