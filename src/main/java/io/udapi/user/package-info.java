/**
 * The admin users of the management API and the web console (docs/concepts.md, "Admin users").
 *
 * <p><b>Purpose.</b> {@code AdminUser} is a named user with an Argon2id password hash and a set of
 * {@code Permission}s ({@code tokens.read}, {@code tokens.write}, ... {@code users.write}); a user holding
 * every permission is a manager. Part of the model: records that know nothing of HTTP or storage.
 *
 * <p><b>Threading model.</b> Immutable and safe to share; a change is a new record with a higher version.
 *
 * <p><b>Error policy.</b> Constructors reject impossible values (null names, a null permission set) with
 * {@code IllegalArgumentException}/{@code NullPointerException}: programming errors, since request bodies are
 * validated in {@code manage} before a user is built. The password hash is never part of {@code toString}.
 */
package io.udapi.user;
