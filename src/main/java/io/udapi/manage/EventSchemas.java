package io.udapi.manage;

import io.udapi.audit.AuditEvent;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The list body of {@code /admin/v1/events} in the management API's OpenAPI document (docs/management-api.md). */
final class EventSchemas {

    private EventSchemas() {
    }

    @Schema(name = "EventList", requiredProperties = {"items", "total"})
    record EventList(@Schema(description = "Newest first.") List<AuditEvent> items,
                     @Schema(description = "The number of items.") long total) {
    }
}
