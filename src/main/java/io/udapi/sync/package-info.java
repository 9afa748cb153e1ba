/**
 * Keeps this instance's registry in step with the shared store (docs/architecture.md, "Sync between instances").
 *
 * <p>Purpose: {@link io.udapi.sync.Sync} loads everything once at start-up and then follows the audit
 * events, which are the change feed: every acknowledged write on any instance appends an event naming
 * the object, so the loop re-reads just the named objects by id and applies them (or removes them when
 * they are gone). The cursor is taken before the full load, so nothing written in between is missed;
 * a periodic full reload is the safety net for an event whose append failed after its write.
 *
 * <p>Threading: a {@code @Scheduled(SKIP)} tick calls {@code syncOnce()}, which runs under a fair lock
 * taken with a short timeout, so at most one pass runs at a time and a caller that finds it busy returns. A pushed
 * change ({@code io.udapi.push}) is applied under the same lock; fairness puts a waiting pass before the next push.
 * The outcome is published as an immutable {@link io.udapi.sync.SyncStatus} in a volatile field,
 * read by the readiness check and the {@code udapi.sync.lag.seconds} gauge from any thread.
 *
 * <p>Error policy: {@code StoreUnavailableException} ends the pass without moving the cursor and
 * without touching the registry; the next tick retries (state {@code STORE_DOWN}, or {@code LOADING}
 * before the first load, and readiness stays DOWN only in that case). A data error on one object (an
 * unreadable document, a route conflict between two stored definitions) is logged and skipped, tried
 * once more at the end of the pass, and left to the next full reload.
 */
package io.udapi.sync;
