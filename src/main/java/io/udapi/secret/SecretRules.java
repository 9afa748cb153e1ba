package io.udapi.secret;

import java.util.Optional;

/**
 * The rules of a token secret given by a user (docs/concepts.md, "Tokens"): {@value #MIN_LENGTH}..{@value #MAX_LENGTH}
 * characters, each one of {@code A-Z a-z 0-9 _ - . = + /}. Uniqueness across tokens is checked by the token
 * service (lookup tag + Argon2), not here.
 *
 * <p>A rejection is a value, not an exception: {@link #check} answers the message for {@code InvalidSecret}.
 * Messages state the length or the 1-based position of the first offending character and the rule, and never
 * contain the secret or any of its characters. All messages come from this class.
 *
 * <p>Stateless and thread-safe; cheap (one pass over the characters).
 */
public final class SecretRules {

    public static final int MIN_LENGTH = 32;
    public static final int MAX_LENGTH = 512;
    /** Characters of a secret's {@link #hint}. */
    public static final int HINT_LENGTH = 4;
    /** The allowed characters, as the rule is worded in messages. */
    public static final String ALPHABET = "A-Z a-z 0-9 _ - . = + /";

    private SecretRules() {
    }

    /** Empty when {@code secret} satisfies the rules, otherwise the reason it does not. */
    public static Optional<String> check(String secret) {
        if (secret == null) {
            return Optional.of("secret is required: " + MIN_LENGTH + ".." + MAX_LENGTH + " characters of "
                    + ALPHABET);
        }
        int length = secret.length();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            // String.length() counts UTF-16 units; a secret with other characters is refused below anyway,
            // and no allowed character is outside the BMP, so the count is exact for every valid secret.
            return Optional.of("secret has " + length + " characters; it must have " + MIN_LENGTH + ".."
                    + MAX_LENGTH);
        }
        for (int i = 0; i < length; i++) {
            if (!isAllowed(secret.charAt(i))) {
                return Optional.of("secret has a character that is not allowed at position " + (i + 1)
                        + " of " + length + "; only " + ALPHABET + " are allowed");
            }
        }
        if (SecretGenerator.form(secret) == SecretGenerator.Form.BAD_CHECKSUM) {
            // triggers and leak reports refuse such a string without looking it up (docs/tokens.md), so a
            // token with it could never authenticate
            return Optional.of("secret has the form of a generated secret (udapi_ and 38 base62 characters) but "
                    + "its last 6 characters are not its checksum; choose another secret or let udapi generate one");
        }
        return Optional.empty();
    }

    /** Whether {@code c} may appear in a secret. */
    public static boolean isAllowed(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == '=' || c == '+' || c == '/';
    }

    /**
     * The {@code secretHint} of a token: the first {@value #HINT_LENGTH} characters of its secret (all of it
     * when shorter, which a valid secret never is).
     */
    public static String hint(String secret) {
        return secret.substring(0, Math.min(HINT_LENGTH, secret.length()));
    }
}
