/**
 * The management API, {@code /admin/v1} (docs/api.md, docs/management-api.md), and the edge of the web console.
 *
 * <p><b>Purpose.</b> {@code AdminGate} authenticates (HTTP Basic, {@code AdminAuthenticator}) and authorises
 * ({@code AdminAccess}, the one permission table) every request before its body is read. Resources are thin;
 * the admin services hold every rule: parsing bodies field by field ({@code JsonBody}) into a value or every
 * problem ({@code Validated}), and deciding each change. One component, {@code AdminWrites}, performs every
 * write of every kind: uniqueness across instances ({@code UniqueKeys}, {@code ClusterMutex}), the write to the
 * store, the registry update and the audit event ({@code AuditTrail}); docs/architecture.md, "Admin writes".
 * {@code ProblemStatus} is the one table from reason to status; {@code ProblemMappers} turns every failure into
 * the error envelope.
 *
 * <p><b>Threading model.</b> Resources run on worker threads (they may wait for the store). Writes on one
 * instance are serialised by {@code WriteLock}, which only {@code AdminWrites} takes; Argon2 never runs while it
 * is held, as secrets and passwords are hashed before. Reads come from the registry and keep working while the
 * store is down.
 *
 * <p><b>Error policy.</b> Every refusal is a {@code Problem} with a {@code Reason}, collected so that one request
 * reports all its mistakes; store failures become 503 {@code StoreUnavailable} with nothing half-written, and no
 * answer is a 500 with a stack trace. Secrets and passwords appear only in the answer that creates them.
 */
package io.udapi.manage;
