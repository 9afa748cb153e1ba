/**
 * The audit vocabulary of the model: who changed what, when, at which version (docs/api.md, "Audit events").
 *
 * <p><b>Purpose.</b> {@code AuditEvent} is one create, update or delete of a token, definition or admin user,
 * as the store keeps it and {@code GET /admin/v1/events} shows it; it is also the change feed other instances
 * follow. {@code Stamp} records creator and last modifier; {@code Versioned} is what every stored object
 * offers for optimistic concurrency. Writing events is {@code manage.AuditTrail}'s job.
 *
 * <p><b>Threading model.</b> Immutable records, safe to share.
 *
 * <p><b>Error policy.</b> Constructors reject impossible values as programming errors. Events never carry a
 * secret, a hash or a password: summaries name fields, not values.
 */
package io.udapi.audit;
