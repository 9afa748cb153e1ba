package io.udapi.store;

import io.udapi.audit.Versioned;
import io.udapi.store.error.StoreException;
import java.util.List;
import java.util.Optional;

/**
 * The persistent half of one kind of object. Every method may throw
 * {@link io.udapi.store.error.StoreUnavailableException} when the backend cannot be reached; the
 * other failures are typed subclasses of {@link StoreException}.
 *
 * <p>Updates are optimistic: the new value carries {@code version = stored version + 1}, and a store
 * that holds another version refuses it with {@link io.udapi.store.error.VersionConflictException}.
 */
public interface Repository<T extends Versioned> {

    /** Every object, in no particular order. */
    List<T> list();

    Optional<T> find(String id);

    /** Stores a new object; {@link io.udapi.store.error.DuplicateIdException} when the id is taken. */
    void create(T value);

    /** Replaces the object whose version is {@code value.version() - 1}. */
    void update(T value);

    /** Deletes the object if it still has {@code expectedVersion}. */
    void delete(String id, long expectedVersion);
}
