package io.udapi.store;

import io.udapi.audit.AuditEvent;
import java.util.List;

/**
 * One read of the change feed ({@link EventLog#changesAfter(long, int)}).
 *
 * @param events oldest first; may repeat events delivered shortly before (at-least-once), so a reader
 *               de-duplicates by {@link AuditEvent#id()}
 * @param nextCursor pass it to the next {@code changesAfter}; never smaller than the cursor given
 */
public record EventPage(List<AuditEvent> events, long nextCursor) {

    public EventPage {
        events = List.copyOf(events);
    }
}
