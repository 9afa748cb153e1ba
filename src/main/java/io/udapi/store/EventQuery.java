package io.udapi.store;

import io.udapi.audit.AuditEvent;
import java.time.Instant;

/**
 * A filter over audit events; null fields match everything.
 *
 * @param since inclusive
 * @param limit 1..1000
 */
public record EventQuery(AuditEvent.ObjectType objectType, String objectId, Instant since, int limit) {

    public boolean matches(AuditEvent event) {
        return (objectType == null || event.objectType() == objectType)
                && (objectId == null || objectId.equals(event.objectId()))
                && (since == null || !event.at().isBefore(since));
    }
}
