package io.udapi.store.es;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.audit.AuditEvent;
import io.udapi.store.EventLog;
import io.udapi.store.EventPage;
import io.udapi.store.EventQuery;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Audit events, a document per event with {@code _id} = the event id. Appending is an idempotent
 * index-by-id (not {@code op_type=create}), so a client retry after a lost response stores the event
 * once and does not fail.
 *
 * <p>Change feed: the cursor is the {@code _seq_no} of the last event read from the one-shard events
 * index (-1 before the first). Because a refresh can expose a higher sequence number before a lower
 * one, each read re-reads {@link EsQueries#FEED_OVERLAP} numbers before the cursor: events are
 * delivered at least once and the reader de-duplicates by id. An idle cluster costs one small search
 * per read.
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
            String message = "Elasticsearch refused event " + event.id() + ": " + reply.summary();
            throw EsDocuments.isDataError(reply.status(), reply.body())
                    ? new StoreDataException(StoreDataException.Kind.refused, reply.status(), message)
                    : new StoreUnavailableException(message);
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

    @Override
    public long headCursor() {
        List<JsonNode> hits = search(EsQueries.headCursor(), "head cursor");
        return hits.isEmpty() ? -1 : hits.get(0).path("_seq_no").asLong(-1);
    }

    @Override
    public EventPage changesAfter(long cursor, int max) {
        long next = cursor;
        List<AuditEvent> events = new ArrayList<>();
        for (JsonNode hit : search(EsQueries.changesAfter(cursor, max), "change feed")) {
            next = Math.max(next, hit.path("_seq_no").asLong(next));
            try {
                events.add(docs.objectOf(hit.path("_source"), AuditEvent.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.errorf("skipping unreadable event %s: %s", hit.path("_id").asText(), e.getMessage());
            }
        }
        return new EventPage(events, next);
    }

    private List<JsonNode> search(com.fasterxml.jackson.databind.node.ObjectNode body, String what) {
        index.ensure();
        EsClient.Reply reply = es.perform("POST", "/" + index.name + "/_search", Map.of(), docs.write(body));
        if (!reply.ok()) {
            throw new StoreUnavailableException("Elasticsearch refused the " + what + " query: " + reply.summary());
        }
        return EsDocuments.hits(reply.body());
    }
}
