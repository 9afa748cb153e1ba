package io.udapi.store.error;

/**
 * A data error in one document: the store refused it (Elasticsearch answered a 4xx that names this
 * document or request, such as a mapping conflict or a document too large) or holds it in a form udapi
 * cannot read. Unlike {@link StoreUnavailableException} it is not an outage: repeating the same
 * operation fails the same way, so callers record and skip it (the sync loop) or answer the caller
 * (admin writes) instead of retrying.
 */
public final class StoreDataException extends StoreException {

    /** Why; also the {@code reason} tag of {@code udapi.sync.skipped}. */
    public enum Kind {
        /** The store answered a 4xx for this document or request. */
        refused,
        /** The stored document cannot be turned into an object. */
        unreadable
    }

    private final Kind kind;
    private final int status;

    /** @param status the store's HTTP status, 0 when there was none (an unreadable document) */
    public StoreDataException(Kind kind, int status, String message) {
        super(message, null);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The store's HTTP status (e.g. 400, 413), 0 for an unreadable document. */
    public int status() {
        return status;
    }
}
