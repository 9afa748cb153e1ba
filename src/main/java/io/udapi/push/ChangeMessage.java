package io.udapi.push;

import io.udapi.audit.AuditEvent;
import java.util.Optional;

/**
 * One announcement on the channel of pushed changes: which instance wrote ({@code origin}, random per process, so
 * an instance skips its own) and which object changed. It carries no value of the object: receivers re-read it from
 * the store, so a message can be forged or replayed by whoever can publish on the server and still changes nothing
 * but the moment of a read. Text form: {@code v1 <origin> <type> <objectId>}.
 */
public record ChangeMessage(String origin, AuditEvent.ObjectType type, String objectId) {

    /** Longest object id accepted; ids and user names are far shorter. */
    static final int MAX_ID = 256;
    /** Longest text accepted (the form with the longest id is far shorter). */
    static final int MAX_TEXT = 512;
    private static final String VERSION = "v1 ";

    public ChangeMessage {
        if (!isOrigin(origin)) {
            throw new IllegalArgumentException("origin must be 1..32 lower-case hex digits");
        }
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        if (!isObjectId(objectId)) {
            throw new IllegalArgumentException("objectId must be 1.." + MAX_ID + " printable ASCII characters");
        }
    }

    public String text() {
        return VERSION + origin + ' ' + type.name() + ' ' + objectId;
    }

    /** The message in {@code text}, or empty for anything else (an unknown version or type, a malformed field). */
    public static Optional<ChangeMessage> parse(String text) {
        if (text == null || text.length() > MAX_TEXT || !text.startsWith(VERSION)) {
            return Optional.empty();
        }
        int afterOrigin = text.indexOf(' ', VERSION.length());
        int afterType = afterOrigin < 0 ? -1 : text.indexOf(' ', afterOrigin + 1);
        if (afterType < 0) {
            return Optional.empty();
        }
        String origin = text.substring(VERSION.length(), afterOrigin);
        String objectId = text.substring(afterType + 1);
        AuditEvent.ObjectType type = switch (text.substring(afterOrigin + 1, afterType)) {
            case "token" -> AuditEvent.ObjectType.token;
            case "definition" -> AuditEvent.ObjectType.definition;
            case "user" -> AuditEvent.ObjectType.user;
            default -> null;
        };
        if (type == null || !isOrigin(origin) || !isObjectId(objectId)) {
            return Optional.empty();
        }
        return Optional.of(new ChangeMessage(origin, type, objectId));
    }

    private static boolean isOrigin(String s) {
        return s != null && !s.isEmpty() && s.length() <= 32 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private static boolean isObjectId(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_ID && s.chars().allMatch(c -> c > ' ' && c < 127);
    }
}
