package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.audit.AuditEvent;
import io.udapi.store.EventLog;
import io.udapi.store.EventQuery;
import io.udapi.store.error.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Audit events, a document per event with {@code _id} = the event id. Appending is an idempotent
 * index-by-id (not {@code op_type=create}), so a client retry after a lost response stores the event
 * once and does not fail.
 */
final class EsEventLog implements EventLog {

    private static final Logger LOG = Logger.getLogger(EsEventLog.class);

    private final EsClient es;
    private final EsDocuments docs;
    private final EsIndex index;

    EsEventLog(EsClient es, EsDocuments docs, EsIndex index) {
        this.es = es;
        this.docs = docs;
        this.index = index;
    }

    @Override
    public void append(AuditEvent event) {
        index.ensure();
        EsClient.Reply reply = es.perform("PUT", "/" + index.name + "/_doc/" + EsClient.encode(event.id()),
                Map.of("refresh", "true"), docs.write(docs.eventDocument(event)));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused event " + event.id() + ": " + reply.summary());
        }
    }

    @Override
    public List<AuditEvent> find(EventQuery query) {
        index.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search", Map.of(),
                docs.write(EsQueries.events(query)));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused an event query: " + reply.summary());
        }
        List<AuditEvent> events = new ArrayList<>();
        for (JsonNode hit : EsDocuments.hits(reply.body())) {
            try {
                events.add(docs.objectOf(hit.path("_source"), AuditEvent.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.errorf("skipping unreadable event %s: %s", hit.path("_id").asText(), e.getMessage());
            }
        }
        return events;
    }
}
