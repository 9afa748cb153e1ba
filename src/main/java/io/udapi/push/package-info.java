/**
 * Pushed changes between the instances of a cluster (docs/architecture.md, "Pushed changes").
 *
 * <p>Purpose: {@link io.udapi.push.ChangePush} announces every write on a Redis channel and applies the other
 * instances' announcements at once, so a disabled, rotated or deleted token is refused everywhere within
 * milliseconds instead of a sync interval. A {@link io.udapi.push.ChangeMessage} names the object only; the store
 * stays the one truth.
 *
 * <p>Threading: publishing is asynchronous on the Redis client; the subscription's callbacks run on its event loop
 * and hand each object to one applier thread, which re-reads it under the sync loop's lock.
 *
 * <p>Error policy: nothing here is required for correctness. A failed publish is counted; a lost subscription is
 * logged once, re-opened every {@code udapi.sync.interval}, and meanwhile the sync loop delivers every change; a
 * malformed message is counted as {@code ignored}; a failed re-read is left to the feed.
 */
package io.udapi.push;
