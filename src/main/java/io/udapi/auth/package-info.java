/**
 * Bearer secret to token: the auth stage of the trigger path (docs/architecture.md, "The trigger path").
 *
 * <p><b>Purpose.</b> {@code TokenAuthenticator} turns a presented secret into an {@code AuthResult}, first inline
 * ({@code tryWithoutArgon2} answers an {@code InlineAuth}: proved, refused, or needs Argon2): a
 * verified-secret cache hit, a recently failed secret, a lookup tag that matches no token, or Argon2 against
 * the few candidate tokens of its tag. The previous secret of a rotation overlap is a credential like the
 * current one (docs/tokens.md, "Rotation with an overlap"). A {@code udapi_} string whose checksum is wrong is
 * refused before any lookup.
 *
 * <p><b>Threading model.</b> Every step up to the Argon2 run is inline on the event loop, without blocking or
 * locks; Argon2 runs on the bounded verification pool and completes a stage that the trigger path resumes on
 * the request's context. Cached proofs carry the token version, so any change of the token voids them at once.
 *
 * <p><b>Error policy.</b> Every refusal (no token, wrong secret, disabled, expired, verification busy) is an
 * {@code AuthResult} value. A fault of the hasher is logged with the request id and answers as a secret that
 * proved nothing (401), and is never cached. No log line or result contains a secret.
 */
package io.udapi.auth;
