package io.udapi.auth;

/**
 * What a presented secret proved without Argon2 ({@link TokenAuthenticator#tryWithoutArgon2}), on the event loop.
 * Three values, so that "run Argon2" is an answer of its own rather than the absence of one:
 * <ul>
 *   <li>{@link AuthResult.Authenticated}: a cached proof of an enabled, unexpired token (the hot path; the
 *       proof is the result itself, so a cache hit allocates nothing more);</li>
 *   <li>{@link Refused}: unknown, wrong, disabled or expired, known without Argon2 (401/1010);</li>
 *   <li>{@link NeedsArgon2}: the tag points at candidates; only {@link TokenAuthenticator#verify} can tell.</li>
 * </ul>
 */
public sealed interface InlineAuth permits AuthResult.Authenticated, InlineAuth.Refused, InlineAuth.NeedsArgon2 {

    /** Refused without Argon2; one value for every cause, as {@link AuthResult.Invalid}. */
    record Refused() implements InlineAuth {
    }

    /** The secret's tag matches live secrets of enabled tokens: Argon2 decides, off the event loop. */
    record NeedsArgon2() implements InlineAuth {
    }

    InlineAuth REFUSED = new Refused();
    InlineAuth NEEDS_ARGON2 = new NeedsArgon2();
}
