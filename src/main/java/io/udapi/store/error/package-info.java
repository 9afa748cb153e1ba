/**
 * The typed failures every {@code Store} implementation raises, so callers handle them without knowing the
 * backend.
 *
 * <p><b>Purpose.</b> {@code StoreUnavailableException}: the store cannot be reached (the management API
 * answers 503 {@code StoreUnavailable}, triggers are unaffected). {@code VersionConflictException}: an
 * optimistic write lost (412 or a retry). {@code DuplicateIdException}, {@code ObjectNotFoundException}: the
 * id exists, or does not. {@code StoreDataException}: a stored document cannot be read as the model.
 * All extend {@code StoreException}.
 *
 * <p><b>Threading model.</b> Plain immutable exceptions.
 *
 * <p><b>Error policy.</b> Messages name the index, file or id involved, never a secret or a hash.
 */
package io.udapi.store.error;
