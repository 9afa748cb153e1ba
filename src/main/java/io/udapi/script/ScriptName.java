package io.udapi.script;

import java.util.Optional;

/**
 * The rule for {@code actionMeta.scriptName} (docs/concepts.md, "Definitions"): 1–128 characters from
 * {@code A-Z a-z 0-9 . _ -}, not starting with {@code .}. With no {@code /} and no leading dot a valid
 * name is always a plain file name, so it can never leave the scripts directory ({@code ..} starts with
 * a dot).
 */
public final class ScriptName {
    /** Longest valid name. */
    public static final int MAX_LENGTH = 128;

    private ScriptName() {
    }

    /** @return the problem with {@code name}, or empty when it is a valid script name */
    public static Optional<String> validate(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("scriptName is required (1 to " + MAX_LENGTH + " characters)");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("scriptName has " + name.length() + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        if (name.charAt(0) == '.') {
            return Optional.of("scriptName '" + name + "' starts with '.', which could name a hidden file or leave the scripts directory");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAllowed(c)) {
                return Optional.of("scriptName contains '" + printable(c) + "' at position " + (i + 1)
                        + "; only A-Z a-z 0-9 . _ - are allowed");
            }
        }
        return Optional.empty();
    }

    /** @return whether {@code name} is a valid script name */
    public static boolean isValid(String name) {
        return validate(name).isEmpty();
    }

    private static boolean isAllowed(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
