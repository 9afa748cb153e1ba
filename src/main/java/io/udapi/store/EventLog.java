package io.udapi.store;

import io.udapi.audit.AuditEvent;
import java.util.List;

/**
 * Append-only audit events. They double as the change feed of the sync loop: every acknowledged
 * create, update and delete is followed by an event naming the object, so an instance that reads the
 * events recorded after its cursor knows which objects to re-read.
 */
public interface EventLog {

    void append(AuditEvent event);

    /** Matching events, newest first, at most {@code query.limit()}. */
    List<AuditEvent> find(EventQuery query);

    /**
     * The position after every event recorded so far: {@code changesAfter(headCursor(), n)} returns
     * only events recorded later (plus, on some backends, repeats of a few earlier ones). Cursors are
     * opaque, backend-specific and only comparable within one store.
     */
    long headCursor();

    /**
     * Events recorded after {@code cursor}, oldest first, at most about {@code max} new ones, and the
     * cursor to continue from. Delivery is at-least-once: a backend whose writes become visible out of
     * order (Elasticsearch) re-reads a small window before the cursor, so callers de-duplicate by id.
     *
     * @param max 1..1000
     */
    EventPage changesAfter(long cursor, int max);
}
