package io.udapi.script;

import java.util.Locale;
import java.util.Set;

/**
 * The rules a response header from a script must pass (docs/scripts.md, "The `OnApiTrigger` contract", "Output"; codes 1012 and 1013): its
 * name an RFC 9110 token and not blocked, its values free of control characters and within ISO-8859-1. Pure
 * functions, thread-safe; each answers a value ({@code false}, a problem text), never an exception.
 */
final class ResponseHeaderRules {
    /** Blocked header names, lower case; plus every name starting with {@code access-control-}. */
    static final Set<String> BLOCKED_HEADERS = Set.of("vary", "content-length", "date", "set-cookie",
            "www-authenticate", "proxy-authenticate", "strict-transport-security", "transfer-encoding",
            "connection", "upgrade", "trailer", "te", "via", "server");
    private static final String BLOCKED_PREFIX = "access-control-";

    private ResponseHeaderRules() {
    }

    static boolean isBlocked(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(BLOCKED_PREFIX) || BLOCKED_HEADERS.contains(lower);
    }

    /** RFC 9110 5.6.2: {@code token = 1*tchar}. */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** @return why {@code value} cannot be sent, or null */
    static String valueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && Character.isISOControl(c)) {
                return "contains the control character " + String.format("U+%04X", (int) c);
            }
            if (c > 0xFF) {
                return "contains the character " + String.format("U+%04X", (int) c) + " outside ISO-8859-1";
            }
        }
        return null;
    }

    /** At most 64 characters of {@code s}, control characters as {@code \\uXXXX}: safe in a message. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
