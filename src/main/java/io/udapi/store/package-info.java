/**
 * Persistence of tokens, definitions, admin users and audit events.
 *
 * <p>Purpose: {@link io.udapi.store.Store} groups one small {@link io.udapi.store.Repository} per kind of
 * object plus the {@link io.udapi.store.EventLog}. Objects carry a version (their ETag); every update
 * and delete is optimistic and names the version it was based on. Two backends implement it,
 * {@code store.file} (one directory, single instance) and {@code store.es} (Elasticsearch, shared by
 * every instance of a cluster); {@link io.udapi.store.StoreProducer} chooses one from
 * {@code udapi.store}. Both write the JSON of {@link io.udapi.store.StoreJson}, so data moves between
 * them unchanged. {@code AbstractStoreContractTest} is the executable form of this contract and runs
 * against each backend.
 *
 * <p>Threading: every method may block on disk or network I/O. Call the store from worker threads
 * (or {@code @Blocking} endpoints), never from an event-loop thread; the hot path reads the in-memory
 * registry instead. Implementations are thread-safe.
 *
 * <p>Error policy: failures are the typed, unchecked subclasses of
 * {@link io.udapi.store.error.StoreException}: {@code ObjectNotFoundException},
 * {@code DuplicateIdException} and {@code VersionConflictException} are answers about the data (the
 * caller maps them to 404/409/412); {@code StoreUnavailableException} means the backend could not
 * serve the request now (the caller answers 503 and may retry). Programming errors (a null id, an id
 * unsafe as a file name) stay {@code IllegalArgumentException}/{@code NullPointerException}.
 */
package io.udapi.store;
