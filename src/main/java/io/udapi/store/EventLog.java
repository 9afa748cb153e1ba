package io.udapi.store;

import io.udapi.audit.AuditEvent;
import java.util.List;

/** Append-only audit events. */
public interface EventLog {

    void append(AuditEvent event);

    /** Matching events, newest first, at most {@code query.limit()}. */
    List<AuditEvent> find(EventQuery query);
}
