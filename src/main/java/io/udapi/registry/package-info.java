/**
 * This instance's in-memory copy of every token, definition and admin user: what the trigger path reads
 * (docs/architecture.md, "Keeping instances in step").
 *
 * <p><b>Purpose.</b> {@code Registry} holds tokens by id and by lookup tag (current and previous secret),
 * users by name, and an immutable {@code Definitions} snapshot with its route table. The management services
 * apply their own writes here after the store accepted them; the sync loop applies the writes of other
 * instances. {@code TokenChanged} tells the verified-secret caches which proofs to drop.
 *
 * <p><b>Threading model.</b> Reads are lock-free from any thread, event loops included. Writers are serialised
 * by the registry's monitor; each definition change publishes a new snapshot by atomic swap, so a reader sees
 * the old or the new table, never half of one.
 *
 * <p><b>Error policy.</b> Lookups answer {@code Optional} or empty collections, never null. Applying an older
 * version than the one held is ignored, so a late event from the feed cannot undo a newer write.
 */
package io.udapi.registry;
