package io.udapi.audit;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One create, update or delete, as kept in the store and streamed to admins. {@code summary} names the
 * object (a token's name, a definition's route, a user's name); secrets and passwords never appear.
 *
 * @param id time-ordered: events sort by id as they sort by {@code at}
 */
@Schema(name = "AuditEvent", requiredProperties = {"id", "at", "user", "action", "objectType", "objectId", "summary"})
public record AuditEvent(String id, Instant at, String user, Action action, ObjectType objectType,
                         String objectId, String summary) {

    public enum Action { created, updated, deleted }

    public enum ObjectType { token, definition, user }

    /** The SSE event name, e.g. {@code token.created}. */
    public String eventName() {
        return objectType + "." + action;
    }
}
