/**
 * Secrets: hashing, generating, validating, tagging and verifying token secrets and admin passwords
 * (docs/concepts.md, "Tokens").
 *
 * <h2>Purpose</h2>
 * <ul>
 *   <li>{@link io.udapi.secret.SecretRules}: the rules of a user-given secret (32..512 characters of
 *       {@code A-Z a-z 0-9 _ - . = + /}) as a rejection value, and the 4-character hint.</li>
 *   <li>{@link io.udapi.secret.SecretGenerator}: 256 random bits as 43 Base64url characters.</li>
 *   <li>{@link io.udapi.secret.SecretHasher}: Argon2id PHC strings with named, versioned
 *       {@link io.udapi.secret.Argon2Params} ({@code OWASP_MINIMUM}: m = 19 MiB, t = 2, p = 1),
 *       constant-time verification, {@code needsRehash}.</li>
 *   <li>{@link io.udapi.secret.LookupTagger}: the 32-bit lookup tag under the deployment's pepper, which
 *       narrows a presented secret to a few candidate tokens before any Argon2.</li>
 *   <li>{@link io.udapi.secret.SecretDigester} and {@link io.udapi.secret.VerifiedSecretCache}: an in-memory
 *       map from a per-process keyed digest of a presented secret to the token it proved, and a short memory of
 *       failed secrets, so a repeated secret never costs Argon2 again.</li>
 *   <li>{@link io.udapi.secret.VerificationGate}: the cap on concurrent Argon2 runs, with a bounded queue and an
 *       immediate "busy" beyond it (503 / 1100 {@code AuthenticationBusy}): an {@link io.udapi.admission.Admission}
 *       in front of a small pool of Argon2 threads.</li>
 * </ul>
 * The intended trigger path: digest → cache hit (done) / known bad (refuse) → tag → candidate tokens (none:
 * refuse without Argon2) → {@code gate.submit(matches..., BUSY)} on a worker → {@code cache.record(...)}.
 *
 * <h2>Why nothing stored allows a cheap check of a guessed secret</h2>
 * The store holds, per token, an Argon2id hash (salted per token, about 16 ms and 19 MiB per guess, so a
 * dictionary costs that per guess and per token), a 4-character hint (24 of the 256 bits of a generated
 * secret), and a 32-bit lookup tag. The tag is an HMAC under the pepper, which lives only in configuration,
 * never in the store, so someone holding a copy of the store cannot compute a tag for a guess at all; and even
 * with the pepper, 32 bits match about one in four billion guesses by chance, so the tag only narrows the
 * Argon2 work, it never confirms a secret. The digests of the in-memory cache are keyed with a random key that
 * exists only in the process's memory and is never written anywhere.
 *
 * <h2>Threading model</h2>
 * Every class is thread-safe. {@code SecretRules}, {@code SecretGenerator}, {@code LookupTagger},
 * {@code SecretDigester} (HMAC about 200 ns, one {@code Mac} per thread), {@code VerifiedSecretCache}
 * (lock-free, {@code ConcurrentHashMap}) and {@code VerificationGate.submit} are non-blocking and run inline on
 * the Vert.x event loop. {@code SecretHasher.hash} and {@code matches} run Argon2 and block for milliseconds:
 * only on worker threads, through the gate on the request path. Objects holding {@code SecureRandom} or keys
 * are built at run time (CDI singletons), never in static fields initialised into a native image.
 *
 * <h2>Error policy</h2>
 * Expected rejections are values: a secret that breaks the rules gives a message, a hash that does not match
 * or is malformed or unsupported gives {@code false}, a full verification queue gives a stage completed at once
 * with the caller's own "busy" value. Exceptions are for faults (native Argon2 failure, a missing
 * or blank pepper at start-up, programming errors). Faults are never cached: only a completed mismatch is
 * remembered as a failure. No message, exception or {@code toString} of this package contains a secret, a
 * password, a digest's content or a key.
 */
package io.udapi.secret;
