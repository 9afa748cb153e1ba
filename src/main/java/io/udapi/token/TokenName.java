package io.udapi.token;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The naming rule shared by tokens and admin users: 1..50 of {@code [A-Za-z0-9_-]}. */
public final class TokenName {

    public static final int MAX_LENGTH = 50;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]+");

    private TokenName() {
    }

    /** The rule a candidate breaks; empty when valid. */
    public static Optional<String> validate(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("name is required (1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 - _)");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("name has " + name.length() + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        if (!ALLOWED.matcher(name).matches()) {
            return Optional.of("name '" + name + "' may only contain A-Z a-z 0-9 - _");
        }
        return Optional.empty();
    }

    /** Names are unique case-insensitively; this is the form they are compared in. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
